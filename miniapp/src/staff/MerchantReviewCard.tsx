import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { can, formatYuan, MERCHANT_CATEGORY_LABELS, merchantFlow, type StaffMerchantList } from 'shared';
import type { z } from 'zod';
import { call } from '../api';
import { describeError } from '../api/errors';
import { confirm } from '../common/confirm';
import { summarizeWeek } from '../common/hours-model';
import { describeDelivery, MERCHANT_STATUS_TAG, MERCHANT_STATUS_TEXT } from '../common/merchant-labels';
import { Btn } from '../components/Btn';
import { useAction } from '../hooks/use-action';

export type StaffMerchant = z.infer<typeof StaffMerchantList>['items'][number];

// Staff see only the shops of their communities: a shop they cannot see is a 404 too.
const verifyError = (err: unknown) =>
  describeError(err, { codes: { NOT_FOUND: '没有找到这家店铺，或不在您负责的社区' } });

/** One shop asking to sell: who runs it, where, what and when; 审核通过 opens it. */
export function MerchantReviewCard({
  shop,
  communityNames,
  onVerified,
}: {
  shop: StaffMerchant;
  communityNames: Map<string, string>;
  onVerified: () => Promise<void>;
}) {
  const { busy, error, run } = useAction(verifyError);

  async function verify() {
    const content = `确认「${shop.name}」资质无误、允许开店营业吗？`;
    if (!(await confirm('审核通过', content, { confirmText: '通过' }))) return;
    const done = await run(() => call('verifyMerchant', { params: { id: shop.id }, body: {} }));
    if (done) {
      void Taro.showToast({ title: '已通过', icon: 'success' });
      await onVerified();
    }
  }

  const served = shop.communityIds.map((id) => communityNames.get(id) ?? '其他社区').join('、');
  return (
    <View className="card stack" data-testid={`merchant-review-${shop.id}`}>
      <View className="row">
        <Text className="card__title">{shop.name}</Text>
        <Text className={MERCHANT_STATUS_TAG[shop.status]}>{MERCHANT_STATUS_TEXT[shop.status]}</Text>
      </View>
      <View>{`类别：${MERCHANT_CATEGORY_LABELS[shop.category]}`}</View>
      <View>{`店主：${shop.ownerName || '未设置称呼'}${shop.ownerPhoneMasked ? `（${shop.ownerPhoneMasked}）` : ''}`}</View>
      <View>{`联系电话：${shop.contactPhone}`}</View>
      <View>{`地址：${shop.address}`}</View>
      <View>{`服务社区：${served || '未选择'}`}</View>
      <View>{`营业时间：${summarizeWeek(shop.hours.weekly)}`}</View>
      <View>{`配送：${describeDelivery(shop.delivery)}`}</View>
      <View>{`起送：${shop.minOrderFen > 0 ? formatYuan(shop.minOrderFen) : '不限'}`}</View>
      {shop.description ? <Text className="muted">{`简介：${shop.description}`}</Text> : null}
      {error ? <Text className="state__message">{error}</Text> : null}
      {can(merchantFlow, shop.status, 'verify') ? (
        <Btn disabled={busy} onClick={() => void verify()} testId="merchant-verify">
          {busy ? '提交中…' : '审核通过'}
        </Btn>
      ) : null}
    </View>
  );
}
