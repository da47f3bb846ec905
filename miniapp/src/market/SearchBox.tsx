import { View } from '@tarojs/components';
import { useState } from 'react';
import { Btn } from '../components/Btn';
import { TextInput } from '../components/TextInput';

/** Keyword box with 搜索; the keyword applies on 搜索 (the button or the keyboard's key), not on every keystroke. */
export function SearchBox({
  placeholder,
  onSearch,
  testId,
}: {
  placeholder: string;
  onSearch: (q: string) => void;
  testId: string;
}) {
  const [text, setText] = useState('');
  return (
    <View className="search-row">
      <TextInput
        value={text}
        onChange={setText}
        placeholder={placeholder}
        maxLength={40}
        testId={testId}
        onConfirm={() => onSearch(text.trim())}
      />
      <Btn variant="small" onClick={() => onSearch(text.trim())} testId={`${testId}-go`}>
        搜索
      </Btn>
    </View>
  );
}
