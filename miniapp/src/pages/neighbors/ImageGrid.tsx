import { Image, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ImageRef } from 'shared';
import { imageSrc } from '../../api/upload';
import { gridKind, singleAspect } from './feed-model';
import '../../components/image-cover.scss';
import { tappable } from '../../components/a11y';

/** Opens the full images, swipeable, at the one tapped (WeChat's own viewer; Taro's on H5). */
export function previewImages(images: readonly { url: string }[], index: number) {
  const urls = images.map((i) => imageSrc(i.url));
  void Taro.previewImage({ urls, current: urls[index] });
}

/** One thumbnail: tap to see the photos whole, starting at this one. */
function Thumb({
  images,
  index,
  className,
  testId,
}: {
  images: readonly ImageRef[];
  index: number;
  className: string;
  testId: string;
}) {
  return (
    <Image
      {...tappable()}
      className={`${className} img-cover`}
      src={imageSrc(images[index]!.thumbUrl)}
      mode="aspectFill"
      lazyLoad
      ariaLabel={`图片 ${index + 1}，点击查看大图`}
      onClick={(e) => {
        e.stopPropagation();
        previewImages(images, index);
      }}
      data-testid={`${testId}-${index}`}
    />
  );
}

/** A post's photos as thumbnails: one large, four as 2x2, else three across; tap to see them whole. */
export function ImageGrid({
  images,
  testId = 'nb-images',
}: {
  images: readonly ImageRef[];
  testId?: string;
}) {
  if (!images.length) return null;
  const kind = gridKind(images.length);
  if (kind === 'single') {
    const img = images[0]!;
    return (
      <View className="nb-grid nb-grid--single" data-testid={testId}>
        <Thumb
          images={images}
          index={0}
          className={`nb-single nb-single--${singleAspect(img.width, img.height)}`}
          testId={testId}
        />
      </View>
    );
  }
  return (
    <View className={`nb-grid nb-grid--${kind}`} data-testid={testId}>
      {images.map((img, i) => (
        <View key={img.id} className="nb-grid__cell">
          <Thumb images={images} index={i} className="nb-grid__img" testId={testId} />
        </View>
      ))}
    </View>
  );
}
