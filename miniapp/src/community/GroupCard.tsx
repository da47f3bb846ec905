import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { type Group, PAGES } from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { useAction } from '../hooks/use-action';
import { leaveGroupConfirmText } from './activity-model';
import { communityErrorText } from './errors';
import { open, Tag } from './ui';

/** An interest group with 加入 / 退出 right on it; `full` on the group's own page (no link). */
export function GroupCard({
  g,
  full,
  onChanged,
}: {
  g: Group;
  full?: boolean;
  onChanged: (g: Group) => void;
}) {
  const { busy, error, run } = useAction(communityErrorText);

  const toggle = async () => {
    if (
      g.joined &&
      !(await confirm('退出小组', leaveGroupConfirmText(g), {
        confirmText: '退出小组',
        cancelText: '再想想',
      }))
    )
      return;
    const route = g.joined ? 'leaveGroup' : 'joinGroup';
    const next = await run(() => call(route, { params: { id: g.id }, body: {} }));
    if (next) {
      onChanged(next);
      void Taro.showToast({ title: next.joined ? '已加入' : '已退出', icon: 'none' });
    }
  };

  return (
    // A finger may tap anywhere on the card; a screen reader and a keyboard use 小组活动 below, as a
    // card holding buttons cannot be a button itself.
    <View
      data-tap-passive
      className="card stack"
      onClick={full ? undefined : () => open(`${PAGES.communityGroup}?id=${g.id}`)}
      data-testid={`group-${g.id}`}
    >
      <View className="cc-head">
        <Text className={full ? 'cm-title' : 'card__title'}>{g.name}</Text>
        {g.archived ? (
          <Tag text="已停止活动" tone="muted" />
        ) : g.joined ? (
          <Tag text="已加入" tone="approved" />
        ) : null}
      </View>
      {g.description ? <Text className={full ? 'cm-body' : 'muted'}>{g.description}</Text> : null}
      <Text className="cc-line" data-testid="group-members">{`${g.memberCount} 位成员`}</Text>
      {error ? (
        <Text className="state__message" data-testid="group-error">
          {error}
        </Text>
      ) : null}
      <View data-tap-passive className="cc-actions" onClick={(e) => e.stopPropagation()}>
        {g.joined || !g.archived ? (
          <Btn
            variant={g.joined ? 'ghost' : ''}
            disabled={busy}
            onClick={() => void toggle()}
            testId={g.joined ? 'group-leave' : 'group-join'}
          >
            {busy ? '提交中…' : g.joined ? '退出小组' : '加入小组'}
          </Btn>
        ) : null}
        {full ? null : (
          <Btn variant="ghost" onClick={() => open(`${PAGES.communityGroup}?id=${g.id}`)} testId="group-open">
            小组活动
          </Btn>
        )}
      </View>
    </View>
  );
}
