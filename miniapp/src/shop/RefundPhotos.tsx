import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { ImageRef } from 'shared';
import { describeError } from '../api/errors';
import { chooseImages, imageSrc, uploadImages } from '../api/upload';
import { Btn } from '../components/Btn';
import './refund-photos.scss';
import './refund-photos-elder.scss';
import { tappable } from '../components/a11y';

/** A refund may carry this many photos (the BFF's limit too). */
export const MAX_REFUND_PHOTOS = 6;

export interface ChosenPhoto {
  id: string;
  thumbUrl: string;
  url: string;
}

/** Opens the photos at full size; the rest stay swipeable, as in WeChat's own viewer. */
function preview(photos: { url: string }[], index: number) {
  const urls = photos.map((p) => imageSrc(p.url));
  void Taro.previewImage({ urls, current: urls[index] });
}

/**
 * 上传照片 for a refund request: pick (album or camera), upload at once, show the thumbnails with
 * 删除. The photos are private: the server hands back short-lived links for this person only.
 */
export function RefundPhotoPicker({
  photos,
  onChange,
  onBusy,
}: {
  photos: ChosenPhoto[];
  onChange: (next: ChosenPhoto[]) => void;
  onBusy: (busy: boolean) => void;
}) {
  const [uploading, setUploading] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const room = MAX_REFUND_PHOTOS - photos.length;

  const add = async () => {
    setError(null);
    let picked: Awaited<ReturnType<typeof chooseImages>> = [];
    try {
      picked = await chooseImages(room);
    } catch {
      setError('无法打开相册，请检查小程序的相册权限');
      return;
    }
    if (!picked.length) return;
    setUploading(picked.length);
    onBusy(true);
    try {
      const done = await uploadImages(picked, 'refund');
      onChange([...photos, ...done.map((u) => ({ id: u.id, thumbUrl: u.thumbUrl, url: u.url }))]);
    } catch (err) {
      setError(`照片上传失败：${describeError(err)}`);
    } finally {
      setUploading(0);
      onBusy(false);
    }
  };

  return (
    <View className="stack" data-testid="refund-photos">
      <Text className="muted">{`照片（选填，最多 ${MAX_REFUND_PHOTOS} 张），仅您和商家可见`}</Text>
      {photos.length || uploading ? (
        <View className="refund-photos">
          {photos.map((p, i) => (
            <View key={p.id} className="refund-photo" data-testid="refund-photo">
              <Image
                {...tappable({ label: '照片，点击查看大图' })}
                className="refund-photo__img"
                src={imageSrc(p.thumbUrl)}
                mode="aspectFill"
                onClick={() => preview(photos, i)}
              />
              <Text
                {...tappable()}
                className="refund-photo__remove tap-text"
                onClick={() => onChange(photos.filter((q) => q.id !== p.id))}
                data-testid="refund-photo-remove"
              >
                删除
              </Text>
            </View>
          ))}
          {uploading ? (
            <View className="refund-photo refund-photo--pending" data-testid="refund-photo-uploading">
              <Text className="muted">{`上传中 ${uploading} 张…`}</Text>
            </View>
          ) : null}
        </View>
      ) : null}
      {error ? (
        <Text className="error-text" data-testid="refund-photo-error">
          {error}
        </Text>
      ) : null}
      {room > 0 ? (
        <Btn
          variant="ghost small"
          disabled={uploading > 0}
          onClick={() => void add()}
          testId="refund-add-photos"
        >
          {uploading ? '正在上传…' : photos.length ? '继续添加照片' : '添加照片'}
        </Btn>
      ) : (
        <Text className="muted">已达到照片数量上限</Text>
      )}
    </View>
  );
}

/** A submitted refund's photos: thumbnails that open full size. */
export function RefundPhotoList({ photos }: { photos: ImageRef[] }) {
  if (!photos.length) return null;
  return (
    <View className="refund-photos" data-testid="refund-state-photos">
      {photos.map((p, i) => (
        <View key={p.id} className="refund-photo">
          <Image
            {...tappable({ label: '照片，点击查看大图' })}
            className="refund-photo__img"
            src={imageSrc(p.thumbUrl)}
            mode="aspectFill"
            onClick={() => preview(photos, i)}
          />
        </View>
      ))}
    </View>
  );
}
