import { Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { ElderProfile } from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { type ContactDraft, cleanContacts, contactProblem, MAX_CONTACTS } from './profile-model';
import { ChipBtn, Kv } from './ui';
import './care.scss';
import './care-elder.scss';

const FIELD_COPY = {
  healthNotes: '健康状况最多 1000 字',
  dietaryNotes: '饮食要求最多 200 字',
  emergencyContacts: '紧急联系人填写有误，请检查姓名、手机号和关系',
};

const describeProfileError = (err: unknown) =>
  describeError(err, {
    fields: FIELD_COPY,
    codes: {},
  });

/** 长者档案: health notes, emergency contacts, living alone and diet — what caregivers need to know. */
export default function CareProfilePage() {
  const state = useApi(() => call('elderProfile'));
  return (
    <Page name="care-profile" state={state}>
      {state.data ? <ProfileForm profile={state.data} /> : null}
    </Page>
  );
}

function ProfileForm({ profile }: { profile: ElderProfile }) {
  const [health, setHealth] = useState(profile.healthNotes);
  const [diet, setDiet] = useState(profile.dietaryNotes);
  const [alone, setAlone] = useState(profile.livesAlone);
  const [contacts, setContacts] = useState<ContactDraft[]>(profile.emergencyContacts);
  const [preferred, setPreferred] = useState<string | null>(profile.preferredCaregiverId);
  const choices = useApi(() => call('careCaregiverChoices'));
  const [saved, setSaved] = useState<ElderProfile>(profile);
  const action = useAction(describeProfileError);
  useEffect(() => setSaved(profile), [profile]);

  const problem = contactProblem(contacts);
  const setContact = (i: number, patch: Partial<ContactDraft>) =>
    setContacts(contacts.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  const save = () =>
    action.run(async () => {
      const next = await call('updateElderProfile', {
        body: {
          healthNotes: health.trim(),
          dietaryNotes: diet.trim(),
          livesAlone: alone,
          emergencyContacts: cleanContacts(contacts),
          preferredCaregiverId: preferred,
        },
      });
      setSaved(next);
      void Taro.showToast({ title: '档案已保存', icon: 'success' });
    });

  return (
    <>
      <View className="card stack care-card" data-testid="care-profile-basic">
        <Text className="card__title">{saved.name}</Text>
        <Kv k="年龄">{saved.age !== null ? `${saved.age}岁` : '未登记出生日期'}</Kv>
        <Kv k="住址">{saved.address ?? '尚未认证住址'}</Kv>
        <Text className="muted">
          健康状况和联系人只给长者本人、已授权的家属、上门服务的护理员和社区工作人员查看，每次查看都有记录。
        </Text>
      </View>

      <View className="card stack care-card" data-testid="care-profile-form">
        <Field label="健康状况（选填）">
          <Textarea
            className="care-textarea"
            value={health}
            maxlength={1000}
            placeholder="如：高血压，每天早上服药；腿脚不便"
            onInput={(e) => setHealth(e.detail.value)}
            data-testid="care-profile-health"
          />
        </Field>
        <Field label="饮食要求（选填）">
          <Textarea
            className="care-textarea"
            value={diet}
            maxlength={200}
            placeholder="如：少盐、软烂、对花生过敏"
            onInput={(e) => setDiet(e.detail.value)}
            data-testid="care-profile-diet"
          />
        </Field>
        <Field label="是否独居">
          <View className="care-chips">
            <ChipBtn selected={alone} onClick={() => setAlone(true)} testId="care-profile-alone-yes">
              独居
            </ChipBtn>
            <ChipBtn selected={!alone} onClick={() => setAlone(false)} testId="care-profile-alone-no">
              与家人同住
            </ChipBtn>
          </View>
        </Field>
      </View>

      <View className="card stack care-card" data-testid="care-profile-preferred">
        <Text className="card__title">常用护理员（选填）</Text>
        <Text className="muted">有空时优先派这位护理员上门；没空时由其他护理员服务。</Text>
        {choices.error ? <Text className="care-error">护理员名单没有加载出来，请稍后再试</Text> : null}
        {choices.data ? (
          <View className="care-chips">
            <ChipBtn
              selected={preferred === null}
              onClick={() => setPreferred(null)}
              testId="care-preferred-none"
            >
              不指定
            </ChipBtn>
            {choices.data.items.map((c) => (
              <ChipBtn
                key={c.id}
                selected={preferred === c.id}
                onClick={() => setPreferred(c.id)}
                testId={`care-preferred-${c.id}`}
              >
                {c.visits > 0 ? `${c.name}（上门 ${c.visits} 次）` : `${c.name} · ${c.providerName}`}
              </ChipBtn>
            ))}
          </View>
        ) : (
          <Text className="muted">正在加载护理员名单…</Text>
        )}
      </View>

      <View className="card stack care-card" data-testid="care-profile-contacts">
        <Text className="card__title">紧急联系人</Text>
        {contacts.length === 0 ? <Text className="muted">还没有紧急联系人</Text> : null}
        {contacts.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; the index is their identity
          <View key={i} className="care-contact stack" data-testid="care-contact">
            <TextInput
              value={c.name}
              onChange={(name) => setContact(i, { name })}
              placeholder="姓名"
              maxLength={40}
            />
            <TextInput
              value={c.phone}
              onChange={(phone) => setContact(i, { phone })}
              placeholder="手机号"
              maxLength={11}
              kind="phone"
            />
            <TextInput
              value={c.relation}
              onChange={(relation) => setContact(i, { relation })}
              placeholder="与长者的关系，如：儿子"
              maxLength={20}
            />
            <Btn variant="ghost small" onClick={() => setContacts(contacts.filter((_, j) => j !== i))}>
              {`删除第${i + 1}位联系人`}
            </Btn>
          </View>
        ))}
        {contacts.length < MAX_CONTACTS ? (
          <Btn
            variant="ghost"
            onClick={() => setContacts([...contacts, { name: '', phone: '', relation: '' }])}
            testId="care-contact-add"
          >
            添加紧急联系人
          </Btn>
        ) : (
          <Text className="muted">{`最多 ${MAX_CONTACTS} 位紧急联系人`}</Text>
        )}
      </View>

      {problem ? <Text className="care-note">{problem}</Text> : null}
      {action.error ? (
        <Text className="care-error" data-testid="care-profile-error">
          {`保存未成功：${action.error}`}
        </Text>
      ) : null}
      <Btn disabled={!!problem || action.busy} onClick={() => void save()} testId="care-profile-save">
        {action.busy ? '正在保存…' : '保存档案'}
      </Btn>
    </>
  );
}
