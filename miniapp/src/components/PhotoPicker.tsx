import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { ImageRef, UploadPurpose } from 'shared';
import { describeError } from '../api/errors';
import { chooseImages, imageSrc, uploadImages } from '../api/upload';
import { Btn } from './Btn';
import './image-cover.scss';
import './photo-picker.scss';
import './photo-picker-elder.scss';
import { tappable } from '../components/a11y';

/** A photo chosen and uploaded, as the form keeps it until it is sent. */
export type ChosenPhoto = Pick<ImageRef, 'id' | 'url' | 'thumbUrl'>;

/** Opens the photos at full size; the rest stay swipeable, as in WeChat's own viewer. */
function preview(photos: readonly { url: string }[], index: number) {
  const urls = photos.map((p) => imageSrc(p.url));
  void Taro.previewImage({ urls, current: urls[index] });
}

/**
 * 添加照片: pick (album or camera) up to `max`, upload them one by one so the person sees how far
 * it got (上传中 2/5), show the thumbnails each with a 删除 button. `onBusy` tells the form to
 * hold its submit while photos are still on their way.
 */
export function PhotoPicker({
  photos,
  onChange,
  onBusy,
  max,
  purpose,
  hint,
  testId = 'photos',
}: {
  photos: ChosenPhoto[];
  onChange: (next: ChosenPhoto[]) => void;
  onBusy?: (busy: boolean) => void;
  max: number;
  purpose: UploadPurpose;
  /** Under the title: who will see them. */
  hint?: string;
  testId?: string;
}) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const room = max - photos.length;

  const add = async () => {
    setError(null);
    let picked: Awaited<ReturnType<typeof chooseImages>> = [];
    try {
      picked = await chooseImages(room);
    } catch {
      setError('无法打开相机或相册，请检查小程序的相机、相册权限');
      return;
    }
    if (!picked.length) return;
    onBusy?.(true);
    let current = photos;
    try {
      for (let i = 0; i < picked.length; i++) {
        setProgress({ done: i, total: picked.length });
        const [u] = await uploadImages([picked[i]!], purpose);
        if (u) {
          current = [...current, { id: u.id, url: u.url, thumbUrl: u.thumbUrl }];
          onChange(current);
        }
      }
    } catch (err) {
      const sent = current.length - photos.length;
      setError(`${sent ? `已上传 ${sent} 张，其余` : '照片'}上传失败：${describeError(err)}`);
    } finally {
      setProgress(null);
      onBusy?.(false);
    }
  };

  return (
    <View className="stack" data-testid={testId}>
      <Text className="muted">{`照片（选填，最多 ${max} 张）${hint ? `，${hint}` : ''}`}</Text>
      {photos.length || progress ? (
        <View className="photo-grid">
          {photos.map((p, i) => (
            <View key={p.id} className="photo-grid__cell" data-testid={`${testId}-item`}>
              <Image
                {...tappable()}
                className="photo-grid__img img-cover"
                src={imageSrc(p.thumbUrl)}
                mode="aspectFill"
                ariaLabel={`照片 ${i + 1}`}
                onClick={() => preview(photos, i)}
              />
              <Btn
                variant="ghost small"
                disabled={!!progress}
                onClick={() => onChange(photos.filter((q) => q.id !== p.id))}
                testId={`${testId}-remove-${i}`}
              >
                删除
              </Btn>
            </View>
          ))}
          {progress ? (
            <View className="photo-grid__cell photo-grid__pending" data-testid={`${testId}-uploading`}>
              <Text className="photo-grid__progress">{`上传中 ${progress.done + 1}/${progress.total}`}</Text>
              <View className="photo-grid__bar">
                <View
                  className="photo-grid__bar-fill"
                  style={{ width: `${Math.round((progress.done / progress.total) * 100)}%` }}
                />
              </View>
            </View>
          ) : null}
        </View>
      ) : null}
      {error ? (
        <Text className="field__error" data-testid={`${testId}-error`}>
          {error}
        </Text>
      ) : null}
      {room > 0 ? (
        // In its own View: `.btn` resets the margin `.stack` gives, and 删除 above must not touch it.
        <View className="photo-picker__add">
          <Btn variant="ghost" disabled={!!progress} onClick={() => void add()} testId={`${testId}-add`}>
            {progress ? '正在上传…' : photos.length ? `继续添加（还可 ${room} 张）` : '拍照或选择照片'}
          </Btn>
        </View>
      ) : (
        <Text className="muted">已达到照片数量上限</Text>
      )}
    </View>
  );
}

/** Photos of a request, a post, a visit: thumbnails that open full size. */
export function PhotoGrid({
  photos,
  label = '照片',
  testId = 'photo-grid',
}: {
  photos: readonly ChosenPhoto[];
  label?: string;
  testId?: string;
}) {
  if (!photos.length) return null;
  return (
    <View className="photo-grid" data-testid={testId}>
      {photos.map((p, i) => (
        <View key={p.id} className="photo-grid__cell">
          <Image
            {...tappable()}
            className="photo-grid__img img-cover"
            src={imageSrc(p.thumbUrl)}
            mode="aspectFill"
            ariaLabel={`${label} ${i + 1}`}
            onClick={() => preview(photos, i)}
            data-testid={`${testId}-item`}
          />
        </View>
      ))}
    </View>
  );
}
