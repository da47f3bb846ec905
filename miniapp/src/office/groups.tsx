import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { Group } from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { AsyncContent, Page } from '../components/Page';
import { TextArea } from '../components/TextArea';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './community.scss';
import './community-elder.scss';

const groupError = (err: unknown) =>
  describeError(err, { fields: { name: '小组名称请在 30 字以内', description: '介绍请在 500 字以内' } });

/** 兴趣小组 for staff: start one, see how many joined, archive one that has stopped (and bring it back). */
export default function OfficeGroupsPage() {
  const list = useApi(() => call('staffGroups'), { refreshOnShow: true });
  usePullRefresh(list.reload);
  return (
    <Page name="officeGroups">
      <CreateGroup onCreated={list.reload} />
      <AsyncContent state={list}>
        {list.data?.items.length === 0 ? (
          <View className="card">
            <Text className="muted">还没有兴趣小组</Text>
          </View>
        ) : null}
        {list.data?.items.map((g) => (
          <GroupCard key={g.id} g={g} onChanged={list.reload} />
        ))}
      </AsyncContent>
    </Page>
  );
}

function CreateGroup({ onCreated }: { onCreated: () => Promise<void> }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction(groupError);

  const submit = () => {
    const n = name.trim();
    if (!n) return setProblem('请填写小组名称');
    if ([...n].length > 30) return setProblem('小组名称请在 30 字以内');
    setProblem(null);
    void action.run(async () => {
      await call('createGroup', { body: { name: n, description: description.trim() } });
      setName('');
      setDescription('');
      void Taro.showToast({ title: '已创建', icon: 'success' });
      await onCreated();
    });
  };

  return (
    <View className="card stack cc-card" data-testid="office-group-form">
      <Text className="card__title">新建兴趣小组</Text>
      <Field label="小组名称" error={problem}>
        <TextInput
          value={name}
          onChange={setName}
          placeholder="如：晨练太极队"
          maxLength={30}
          testId="office-group-name"
        />
      </Field>
      <Field label="介绍（选填）">
        <TextArea
          value={description}
          onChange={setDescription}
          placeholder="活动时间、地点、适合谁"
          maxLength={500}
          testId="office-group-description"
        />
      </Field>
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
      <Btn disabled={action.busy} onClick={submit} testId="office-group-submit">
        {action.busy ? '创建中…' : '创建'}
      </Btn>
    </View>
  );
}

function GroupCard({ g, onChanged }: { g: Group; onChanged: () => Promise<void> }) {
  const action = useAction(groupError);
  const archive = async () => {
    if (!g.archived) {
      const ok = await confirm('停用小组', `停用「${g.name}」？居民将不能再加入，已加入的成员保留。`, {
        confirmText: '停用',
      });
      if (!ok) return;
    }
    await action.run(async () => {
      await call('updateGroup', { params: { id: g.id }, body: { archived: !g.archived } });
      await onChanged();
    });
  };
  return (
    <View className="card stack cc-card" data-testid={`office-group-${g.id}`}>
      <View className="cc-head">
        <Text className="card__title">{g.name}</Text>
        {g.archived ? <Text className="tag tag--muted">已停用</Text> : null}
      </View>
      {g.description ? <Text className="cm-body">{g.description}</Text> : null}
      <Text className="cc-line">{`${g.memberCount} 位成员`}</Text>
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
      <View className="cc-actions">
        <Btn
          variant={g.archived ? 'ghost small' : 'danger small'}
          disabled={action.busy}
          onClick={() => void archive()}
          testId="office-group-archive"
        >
          {action.busy ? '提交中…' : g.archived ? '恢复小组' : '停用小组'}
        </Btn>
      </View>
    </View>
  );
}
