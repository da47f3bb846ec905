import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { formatYuan } from 'shared';
import { call } from '../api';
import { localMonthOf, monthTitle, shiftMonth } from '../common/care-console';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { ToggleButtons } from '../components/ToggleButtons';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { downloadCareExport, exportFileName } from './care-export';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';

type Tab = 'attendance' | 'statement';

/** 临时取消 and 未上门, per elder and per caregiver: who needs a call. */
function Attendance() {
  const report = useApi(() => call('staffCareAttendance'), { refreshOnShow: true });
  const settings = useApi(() => call('staffCareSettings'));
  const r = report.data;
  const hours = settings.data?.freeCancelHours;
  return (
    <AsyncContent state={report}>
      {r ? (
        <>
          <View className="card stack cc-card" data-testid="attendance-elders">
            <Text className="card__title">老人（临时取消、不在家）</Text>
            {r.elders.length === 0 ? <Text className="muted">暂无记录</Text> : null}
            {r.elders.map((e) => (
              <View key={e.elderId} className="cc-table-row">
                <Text className="cc-line cc-strong">{e.name}</Text>
                <Text className="cc-line">{`临时取消 ${e.lateCancels} 次 · 不在家 ${e.noShows} 次`}</Text>
              </View>
            ))}
          </View>
          <View className="card stack cc-card" data-testid="attendance-caregivers">
            <Text className="card__title">护理员（被临时取消、未上门）</Text>
            {r.caregivers.length === 0 ? <Text className="muted">暂无记录</Text> : null}
            {r.caregivers.map((c) => (
              <View key={c.caregiverId} className="cc-table-row">
                <Text className="cc-line cc-strong">{c.name}</Text>
                <Text className="cc-line">{`被临时取消 ${c.lateCancels} 次 · 未上门 ${c.noShows} 次`}</Text>
              </View>
            ))}
          </View>
          <View className="card stack cc-card" data-testid="attendance-terms">
            <Text className="card__title">说明</Text>
            <Text className="muted">
              {`临时取消：服务开始前${hours === undefined ? '规定时间' : ` ${hours} 小时`}内才取消`}
            </Text>
            <Text className="muted">不在家：护理员上门时老人不在家</Text>
            <Text className="muted">未上门：护理员没有按时上门</Text>
          </View>
        </>
      ) : null}
    </AsyncContent>
  );
}

/** The month's statement per provider and per elder, and the CSV for the civil-affairs office. */
function Statement() {
  const [month, setMonth] = useState(localMonthOf());
  const statement = useApi(() => call('staffCareStatement', { query: { month } }), { key: month });
  const { busy, error, run } = useAction();
  const s = statement.data;
  const isH5 = process.env.TARO_ENV === 'h5';

  async function exportCsv() {
    const done = await run(async () => {
      await downloadCareExport(month);
      return true;
    });
    if (done) void Taro.showToast({ title: '已开始下载', icon: 'success' });
  }

  const total = (s?.providers ?? []).reduce(
    (t, p) => ({
      visits: t.visits + p.visits,
      voucher: t.voucher + p.voucherFen,
      self: t.self + p.selfPayFen,
    }),
    { visits: 0, voucher: 0, self: 0 },
  );

  return (
    <>
      <View className="cc-day">
        <Btn variant="ghost small" onClick={() => setMonth(shiftMonth(month, -1))} testId="month-prev">
          上个月
        </Btn>
        <View className="cc-day__picker">
          <View className="input" data-testid="month-title">
            <Text>{monthTitle(month)}</Text>
          </View>
        </View>
        <Btn
          variant="ghost small"
          disabled={month >= localMonthOf()}
          onClick={() => setMonth(shiftMonth(month, 1))}
          testId="month-next"
        >
          下个月
        </Btn>
      </View>
      <View className="card stack cc-card" data-testid="care-export">
        <Text className="card__title">民政对账导出</Text>
        {isH5 ? (
          <>
            <Text className="muted">{`下载 ${exportFileName(month)}（Excel 可直接打开）`}</Text>
            <Btn disabled={busy} onClick={() => void exportCsv()} testId="care-export-download">
              {busy ? '正在导出…' : `导出${monthTitle(month)}结算 CSV`}
            </Btn>
          </>
        ) : (
          <Text className="cc-warn" data-testid="care-export-web-only">
            CSV 导出请在电脑上登录网页版社区后台，打开「考勤与结算」下载。
          </Text>
        )}
        {error ? <Text className="state__message">{error}</Text> : null}
      </View>
      <AsyncContent state={statement}>
        {s ? (
          <>
            <View className="card stack cc-card" data-testid="statement-providers">
              <Text className="card__title">按服务机构</Text>
              {s.providers.length === 0 ? <Text className="muted">本月暂无已完成的服务</Text> : null}
              {s.providers.map((p) => (
                <View key={p.providerId} className="cc-item">
                  <View>
                    <Text className="cc-line cc-strong">{p.name}</Text>
                    <Text className="cc-line">{`${p.visits} 次服务 · 合计 ${formatYuan(p.priceFen)}`}</Text>
                    <Text className="muted">{`服务券 ${formatYuan(p.voucherFen)} · 自付 ${formatYuan(p.selfPayFen)}`}</Text>
                  </View>
                </View>
              ))}
              {s.providers.length > 1 ? (
                <Text className="cc-line cc-strong">
                  {`合计：${total.visits} 次 · 服务券 ${formatYuan(total.voucher)} · 自付 ${formatYuan(total.self)}`}
                </Text>
              ) : null}
            </View>
            <View className="card stack cc-card" data-testid="statement-elders">
              <Text className="card__title">按老人</Text>
              {s.elders.length === 0 ? <Text className="muted">本月暂无记录</Text> : null}
              {s.elders.map((e) => (
                <View key={e.elderId} className="cc-item">
                  <View>
                    <Text className="cc-line cc-strong">{e.name}</Text>
                    <Text className="cc-line">{`上门 ${e.visits} 次 · 助餐 ${e.meals} 份`}</Text>
                    <Text className="muted">{`服务券 ${formatYuan(e.voucherFen)} · 自付 ${formatYuan(e.selfPayFen)}`}</Text>
                  </View>
                </View>
              ))}
            </View>
          </>
        ) : null}
      </AsyncContent>
    </>
  );
}

/** 考勤与结算: no-shows and late cancels, the monthly statement and its export. */
export default function StaffCareReportsPage() {
  const [tab, setTab] = useState<Tab>('attendance');
  return (
    <Page name="staff-care-reports">
      <View className="filter-bar">
        <ToggleButtons
          options={[
            { value: 'attendance', label: '考勤异常' },
            { value: 'statement', label: '月度结算' },
          ]}
          selected={[tab]}
          onToggle={setTab}
          testId="care-report-tab"
        />
      </View>
      {tab === 'attendance' ? <Attendance /> : <Statement />}
    </Page>
  );
}
