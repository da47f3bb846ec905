import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { RouteResponse, VolunteerProfile } from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { AsyncContent, Page } from '../components/Page';
import { TextArea } from '../components/TextArea';
import { TextInput } from '../components/TextInput';
import { ToggleButtons } from '../components/ToggleButtons';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { skillsText, toggled } from './volunteer-model';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './volunteer-staff.scss';
import './volunteer-staff-elder.scss';

type Team = RouteResponse<'emergencyTeams'>['items'][number];

const teamError = (err: unknown) =>
  describeError(err, {
    fields: {
      name: '请填写队伍名称（30 字以内）',
      volunteerIds: '队员最多 200 人',
      message: '请填写召集内容（110 字以内）',
    },
  });

/** 应急队伍: named groups of verified volunteers, and 一键召集 to call one out with a message. */
export default function StaffTeamsPage() {
  const teams = useApi(() => call('emergencyTeams'), { refreshOnShow: true });
  const volunteers = useApi(() => call('staffVolunteers', { query: { status: 'verified' } }));
  const [creating, setCreating] = useState(false);
  usePullRefresh(teams.reload, volunteers.reload);
  const pool = volunteers.data?.items ?? [];

  return (
    <Page name="staff-teams">
      {creating ? (
        <TeamForm
          volunteers={pool}
          onClose={() => setCreating(false)}
          onSaved={async () => {
            setCreating(false);
            await teams.reload();
          }}
        />
      ) : (
        <View className="filter-bar">
          <Btn onClick={() => setCreating(true)} testId="staff-team-new">
            新建应急队伍
          </Btn>
        </View>
      )}
      <AsyncContent state={teams}>
        {teams.data?.items.length === 0 ? (
          <View className="card">
            <Text className="muted">还没有应急队伍</Text>
          </View>
        ) : null}
        {teams.data?.items.map((t) => (
          <TeamCard key={t.id} team={t} volunteers={pool} onDone={teams.reload} />
        ))}
      </AsyncContent>
    </Page>
  );
}

/** Create (no team) or edit (a team): the name and the members, picked from verified volunteers. */
function TeamForm({
  team,
  volunteers,
  onClose,
  onSaved,
}: {
  team?: Team;
  volunteers: VolunteerProfile[];
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const [name, setName] = useState(team?.name ?? '');
  const [ids, setIds] = useState<string[]>(team?.members.map((m) => m.volunteerId) ?? []);
  const [error, setError] = useState<string | null>(null);
  const action = useAction(teamError);
  // A member no longer verified still shows, so removing them is possible.
  const known = new Map(volunteers.map((v) => [v.userId, v.realName]));
  for (const m of team?.members ?? [])
    if (!known.has(m.volunteerId)) known.set(m.volunteerId, `${m.name}（已停用）`);

  const save = () => {
    if (!name.trim()) {
      setError('请填写队伍名称');
      return;
    }
    setError(null);
    void action.run(async () => {
      if (team)
        await call('updateEmergencyTeam', {
          params: { id: team.id },
          body: { name: name.trim(), volunteerIds: ids },
        });
      else await call('createEmergencyTeam', { body: { name: name.trim(), volunteerIds: ids } });
      void Taro.showToast({ title: '已保存', icon: 'success' });
      await onSaved();
    });
  };

  const testId = team ? `staff-team-form-${team.id}` : 'staff-team-form';
  return (
    <View className={team ? 'cc-edit stack vs-edit' : 'card stack cc-card'} data-testid={testId}>
      {team ? null : <Text className="card__title">新建应急队伍</Text>}
      <Field label="队伍名称" error={error}>
        <TextInput
          value={name}
          onChange={setName}
          placeholder="如：银杏院应急小队"
          maxLength={30}
          testId={`${testId}-name`}
        />
      </Field>
      <Text className="muted">{`队员（已选 ${ids.length} 人，点一下选中或取消）`}</Text>
      {known.size === 0 ? <Text className="muted">暂无已认证的志愿者</Text> : null}
      <ToggleButtons
        options={[...known.entries()].map(([value, label]) => ({ value, label }))}
        selected={ids}
        onToggle={(id) => setIds((cur) => toggled(cur, id))}
        testId={`${testId}-members`}
      />
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
      <View className="cc-actions">
        <Btn disabled={action.busy} onClick={save} testId={`${testId}-save`}>
          {action.busy ? '保存中…' : '保存'}
        </Btn>
        <Btn variant="ghost" onClick={onClose} testId={`${testId}-close`}>
          取消
        </Btn>
      </View>
    </View>
  );
}

function TeamCard({
  team,
  volunteers,
  onDone,
}: {
  team: Team;
  volunteers: VolunteerProfile[];
  onDone: () => Promise<void>;
}) {
  const [mode, setMode] = useState<'edit' | 'activate' | null>(null);
  const [message, setMessage] = useState('');
  const [messageError, setMessageError] = useState<string | null>(null);
  const [told, setTold] = useState<number | null>(null);
  const action = useAction(teamError);
  const byId = new Map(volunteers.map((v) => [v.userId, v]));

  const activate = async () => {
    if (!message.trim()) {
      setMessageError('请写明召集的事由、时间和地点');
      return;
    }
    setMessageError(null);
    if (
      !(await confirm('一键召集', `立即通知「${team.name}」的 ${team.members.length} 名队员？`, {
        confirmText: '召集',
      }))
    )
      return;
    const result = await action.run(() =>
      call('activateEmergencyTeam', { params: { id: team.id }, body: { message: message.trim() } }),
    );
    if (result) {
      setTold(result.told);
      setMode(null);
      setMessage('');
    }
  };

  return (
    <View className="card stack cc-card" data-testid={`staff-team-${team.id}`}>
      <View className="cc-head">
        <Text className="card__title">{team.name}</Text>
        <Text className="tag tag--active">{`${team.members.length} 人`}</Text>
      </View>
      {team.members.length === 0 ? <Text className="muted">还没有队员</Text> : null}
      {team.members.map((m) => {
        const v = byId.get(m.volunteerId);
        return (
          <Text key={m.volunteerId} className="cc-line">
            {v ? `${m.name} · ${v.compoundName} · ${skillsText(v.skills)}` : m.name}
          </Text>
        );
      })}
      {told !== null ? (
        <Text
          className="cc-ok"
          data-testid={`staff-team-told-${team.id}`}
        >{`已召集，通知了 ${told} 人`}</Text>
      ) : null}
      <View className="cc-actions">
        <Btn
          variant="danger"
          disabled={team.members.length === 0}
          onClick={() => setMode(mode === 'activate' ? null : 'activate')}
          testId={`staff-team-activate-open-${team.id}`}
        >
          一键召集
        </Btn>
        <Btn
          variant="ghost"
          onClick={() => setMode(mode === 'edit' ? null : 'edit')}
          testId={`staff-team-edit-${team.id}`}
        >
          编辑队员
        </Btn>
      </View>
      {mode === 'activate' ? (
        <View className="cc-edit stack vs-edit" data-testid={`staff-team-activate-${team.id}`}>
          <Field label="召集内容" error={messageError}>
            <TextArea
              value={message}
              onChange={setMessage}
              placeholder="如：3号楼停水，请 15:00 到物业门口集合帮忙送水"
              maxLength={110}
              testId={`staff-team-message-${team.id}`}
            />
          </Field>
          <Btn
            variant="danger"
            disabled={action.busy}
            onClick={() => void activate()}
            testId={`staff-team-activate-${team.id}-submit`}
          >
            {action.busy ? '正在通知…' : '立即召集'}
          </Btn>
        </View>
      ) : null}
      {mode === 'edit' ? (
        <TeamForm
          team={team}
          volunteers={volunteers}
          onClose={() => setMode(null)}
          onSaved={async () => {
            setMode(null);
            await onDone();
          }}
        />
      ) : null}
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
    </View>
  );
}
