import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { CommunityTree } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { ChoiceList } from '../components/ChoiceList';
import { ErrorState, LoadingState } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { askToSubscribe, prefetchSubscribeTemplates } from '../notify/subscribe';

type Compound = CommunityTree['compounds'][number];
type Building = Compound['buildings'][number];
type Household = Building['households'][number];

interface Community {
  id: string;
  name: string;
  city: string;
}

interface Props {
  communities: Community[];
  onSubmitted: () => Promise<void>;
}

/** Community -> compound -> building -> household, then 提交认证申请. */
export function HouseholdPicker({ communities, onSubmitted }: Props) {
  useEffect(() => {
    void prefetchSubscribeTemplates();
  }, []);
  const [communityId, setCommunityId] = useState<string | null>(null);
  const [tree, setTree] = useState<CommunityTree | null>(null);
  const [treeError, setTreeError] = useState<unknown>(null);
  const [treeLoading, setTreeLoading] = useState(false);
  const [compound, setCompound] = useState<Compound | null>(null);
  const [building, setBuilding] = useState<Building | null>(null);
  const [household, setHousehold] = useState<Household | null>(null);
  const { busy: submitting, error: submitError, run } = useAction();

  async function pickCommunity(id: string) {
    setCommunityId(id);
    setTree(null);
    setCompound(null);
    setBuilding(null);
    setHousehold(null);
    setTreeError(null);
    setTreeLoading(true);
    try {
      setTree(await call('community', { params: { id } }));
    } catch (err) {
      setTreeError(err);
    } finally {
      setTreeLoading(false);
    }
  }

  async function submit() {
    if (!household) return;
    // Before any await: WeChat only shows the subscribe prompt inside a tap. The review result
    // then reaches the person as a WeChat message too, not only in the inbox.
    const asked = askToSubscribe();
    await run(async () => {
      await asked;
      await call('requestMembership', { body: { householdId: household.id } });
      setCommunityId(null);
      setTree(null);
      setCompound(null);
      setBuilding(null);
      setHousehold(null);
      void Taro.showToast({ title: '已提交，等待审核', icon: 'success' });
      await onSubmitted();
    });
  }

  return (
    <View className="card stack" data-testid="membership-form">
      <Text className="card__title">申请住户认证</Text>
      <ChoiceList
        title="选择社区"
        testId="pick-community"
        items={communities}
        selectedId={communityId}
        label={(c) => c.name}
        onSelect={(c) => void pickCommunity(c.id)}
      />
      {treeLoading ? <LoadingState /> : null}
      {treeError && communityId ? (
        <ErrorState error={treeError} onRetry={() => void pickCommunity(communityId)} compact />
      ) : null}
      {tree ? (
        <ChoiceList
          title="选择小区"
          testId="pick-compound"
          items={tree.compounds}
          selectedId={compound?.id ?? null}
          label={(c) => c.name}
          onSelect={(c) => {
            setCompound(c);
            setBuilding(null);
            setHousehold(null);
          }}
        />
      ) : null}
      {compound ? (
        <ChoiceList
          title="选择楼栋"
          testId="pick-building"
          items={compound.buildings}
          selectedId={building?.id ?? null}
          label={(b) => b.name}
          onSelect={(b) => {
            setBuilding(b);
            setHousehold(null);
          }}
        />
      ) : null}
      {building ? (
        <ChoiceList
          title="选择房号"
          testId="pick-household"
          items={building.households}
          selectedId={household?.id ?? null}
          label={(h) => h.unit}
          onSelect={setHousehold}
        />
      ) : null}
      {household && tree && compound && building ? (
        <Text data-testid="membership-selected">
          {`已选：${tree.name} · ${compound.name} · ${building.name} · ${household.unit}`}
        </Text>
      ) : null}
      {submitError ? (
        <Text className="state__message" data-testid="membership-submit-error">
          {`提交失败：${submitError}`}
        </Text>
      ) : null}
      <Btn disabled={!household || submitting} onClick={() => void submit()} testId="membership-submit">
        {submitting ? '提交中…' : '提交认证申请'}
      </Btn>
    </View>
  );
}
