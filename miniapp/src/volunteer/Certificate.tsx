import { Button, Canvas, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { memo, useEffect, useRef, useState } from 'react';
import { Btn } from '../components/Btn';
import { type CertificateData, certificateLayout, type DrawOp, fontOf } from './certificate-layout';

const CANVAS_ID = 'vol-cert-canvas';
const WRAP_ID = 'vol-cert-wrap';

/** What both platforms' 2d canvas nodes offer (weapp's Canvas, H5's HTMLCanvasElement). */
interface CanvasNode {
  width: number;
  height: number;
  getContext(kind: '2d'): Ctx2d | null;
  toDataURL?: (type?: string) => string;
}
interface Ctx2d {
  scale(x: number, y: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  setTransform?(a: number, b: number, c: number, d: number, e: number, f: number): void;
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
}

/** Replays the layout: the only canvas calls of the certificate. */
function draw(ctx: Ctx2d, ops: readonly DrawOp[]) {
  ctx.textBaseline = 'alphabetic';
  for (const op of ops) {
    if (op.kind === 'rect') {
      if (op.fill) {
        ctx.fillStyle = op.fill;
        ctx.fillRect(op.x, op.y, op.w, op.h);
      }
      if (op.stroke) {
        ctx.strokeStyle = op.stroke;
        ctx.lineWidth = op.lineWidth ?? 1;
        ctx.strokeRect(op.x, op.y, op.w, op.h);
      }
    } else {
      ctx.font = fontOf(op);
      ctx.fillStyle = op.color;
      ctx.textAlign = op.align;
      ctx.fillText(op.text, op.x, op.y);
    }
  }
}

const query = <T,>(select: (q: Taro.SelectorQuery) => Taro.NodesRef, field: 'rect' | 'node') =>
  new Promise<T | null>((resolve) => {
    const q = Taro.createSelectorQuery();
    // On H5 a query looks inside the current page's container by default. While the router is
    // between pages (the person left before the certificate drew), that container is missing and
    // Taro throws from its own tick, where nothing can catch it. Our ids are unique, so H5 looks in
    // the whole document instead; weapp keeps its page scope.
    if (process.env.TARO_ENV === 'h5') q.in(null as never);
    const ref = select(q);
    if (field === 'rect') ref.boundingClientRect();
    else ref.fields({ node: true, size: true });
    q.exec((res: unknown[]) => resolve((res?.[0] as T) ?? null));
  });

async function canvasNode(): Promise<CanvasNode | null> {
  const res = await query<{ node?: CanvasNode }>((q) => q.select(`#${CANVAS_ID}`), 'node');
  return res?.node ?? null;
}

/**
 * The canvas itself, memoised on its size: a re-render of Taro's H5 canvas resets its pixels, so
 * it renders only when the size changes.
 */
const CertCanvas = memo(function CertCanvas({ width, height }: { width: number; height: number }) {
  return (
    <Canvas
      id={CANVAS_ID}
      canvasId={CANVAS_ID}
      type="2d"
      className="vol-cert"
      style={{ width: `${width}px`, height: `${height}px` }}
      aria-label="志愿服务证书图片"
    />
  );
});

/** 保存图片: weapp to the photo album, H5 as a download. */
async function saveImage(node: CanvasNode): Promise<string> {
  if (process.env.TARO_ENV === 'h5') {
    const url = node.toDataURL?.('image/png');
    if (!url) throw new Error('浏览器不支持保存图片');
    const a = document.createElement('a');
    a.href = url;
    a.download = '志愿服务证书.png';
    document.body.appendChild(a);
    a.click();
    a.remove();
    return '已开始下载图片';
  }
  const { tempFilePath } = await Taro.canvasToTempFilePath({
    canvas: node as never,
    fileType: 'png',
  } as never);
  try {
    await Taro.saveImageToPhotosAlbum({ filePath: tempFilePath });
  } catch (err) {
    const msg = String((err as { errMsg?: string })?.errMsg ?? '');
    if (/auth|deny|denied/i.test(msg)) {
      const go = await Taro.showModal({
        title: '需要相册权限',
        content: '保存证书需要允许「邻里」保存到相册，去设置里打开吗？',
        confirmText: '去设置',
      }).catch(() => ({ confirm: false }));
      if (go.confirm) await Taro.openSetting().catch(() => undefined);
      throw new Error('没有相册权限，未保存');
    }
    throw new Error('保存失败，请重试');
  }
  return '已保存到相册';
}

/**
 * 志愿服务证书: drawn on a 2d canvas (both platforms), then 保存图片 and 分享. `onImage` gets a
 * temporary file of the picture on weapp, for the share card.
 */
export function CertificateCard({
  cert,
  onImage,
}: {
  cert: CertificateData;
  onImage?: (path: string) => void;
}) {
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const drawn = useRef(false);
  const key = JSON.stringify(cert);

  // 1. The width the card gives it; the layout says the height.
  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw when the certificate's content changes
  useEffect(() => {
    let gone = false;
    void query<{ width: number }>((q) => q.select(`#${WRAP_ID}`), 'rect').then((rect) => {
      if (gone) return;
      const width = Math.floor(rect?.width || 300);
      setSize({ width, height: certificateLayout(cert, width).height });
    });
    return () => {
      gone = true;
    };
  }, [key]);

  // 2. Draw once the canvas has that size (after Taro's own first render of it).
  // biome-ignore lint/correctness/useExhaustiveDependencies: cert is covered by key
  useEffect(() => {
    if (!size) return;
    drawn.current = false;
    const timer = setTimeout(async () => {
      const node = await canvasNode();
      const ctx = node?.getContext('2d');
      if (!node || !ctx) {
        setNote('当前环境无法生成证书图片');
        return;
      }
      const ratio = Math.min(3, Taro.getSystemInfoSync().pixelRatio || 2);
      node.width = Math.round(size.width * ratio);
      node.height = Math.round(size.height * ratio);
      ctx.setTransform?.(1, 0, 0, 1, 0, 0);
      ctx.scale(ratio, ratio);
      draw(ctx, certificateLayout(cert, size.width).ops);
      drawn.current = true;
      if (process.env.TARO_ENV === 'weapp' && onImage) {
        const res = await Taro.canvasToTempFilePath({
          canvas: node as never,
          fileType: 'png',
        } as never).catch(() => null);
        if (res?.tempFilePath) onImage(res.tempFilePath);
      }
    }, 120);
    return () => clearTimeout(timer);
  }, [size, key]);

  async function save() {
    setNote(null);
    const node = drawn.current ? await canvasNode() : null;
    if (!node) {
      setNote('证书还在生成，请稍候再试');
      return;
    }
    setSaving(true);
    try {
      const done = await saveImage(node);
      void Taro.showToast({ title: done, icon: 'success' });
    } catch (err) {
      setNote(err instanceof Error ? err.message : '保存失败，请重试');
    } finally {
      setSaving(false);
    }
  }

  return (
    <View className="stack cc-card" data-testid="vol-certificate">
      <View id={WRAP_ID} className="vol-cert-wrap">
        {size ? (
          <CertCanvas width={size.width} height={size.height} />
        ) : (
          <Text className="muted">正在生成证书…</Text>
        )}
      </View>
      <View className="cc-actions">
        <Btn disabled={saving || !size} onClick={() => void save()} testId="vol-cert-save">
          {saving ? '保存中…' : '保存图片'}
        </Btn>
        {process.env.TARO_ENV === 'weapp' ? (
          <Button className="btn btn--ghost vol-share" openType="share" data-testid="vol-cert-share">
            分享
          </Button>
        ) : (
          <Btn
            variant="ghost"
            onClick={() => setNote('请先「保存图片」，再从相册发给朋友或发朋友圈')}
            testId="vol-cert-share"
          >
            分享
          </Btn>
        )}
      </View>
      {note ? (
        <Text className="cc-warn" data-testid="vol-cert-note">
          {note}
        </Text>
      ) : null}
    </View>
  );
}
