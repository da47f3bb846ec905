import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { call, errorMessage } from '../../api';
import { Btn } from '../../components/Btn';
import { TextInput } from '../../components/TextInput';
import { useAction } from '../../hooks/use-action';

/** 称呼: the name neighbours, staff and family see; new accounts start without one. */
export function NameEditor({ name, onSaved }: { name: string; onSaved: () => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(name);
  const { busy, error, setError, run } = useAction((err) => `保存失败：${errorMessage(err)}`);

  async function save() {
    if (!draft.trim()) {
      setError('请输入称呼');
      return;
    }
    await run(async () => {
      await call('updateMe', { body: { name: draft.trim() } });
      setEditing(false);
      await onSaved();
    });
  }

  if (!editing) {
    return (
      <View className="row">
        <Text className="card__title">{name || '未设置称呼'}</Text>
        <Btn
          variant="ghost small"
          onClick={() => {
            setDraft(name);
            setEditing(true);
          }}
          testId="name-edit"
        >
          {name ? '修改称呼' : '设置称呼'}
        </Btn>
      </View>
    );
  }
  return (
    <View className="stack">
      <TextInput
        maxLength={20}
        placeholder="请输入称呼，如：王阿姨"
        value={draft}
        onChange={setDraft}
        testId="name-input"
      />
      {error ? <Text className="state__message">{error}</Text> : null}
      <View className="row">
        <Btn disabled={busy} onClick={() => void save()} testId="name-save">
          {busy ? '保存中…' : '保存'}
        </Btn>
        <Btn variant="ghost" disabled={busy} onClick={() => setEditing(false)} testId="name-cancel">
          取消
        </Btn>
      </View>
    </View>
  );
}
