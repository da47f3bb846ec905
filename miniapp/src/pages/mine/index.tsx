import { Cell, CellGroup, Switch } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/css';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PAGES } from 'shared';
import { call } from '../../api';
import { switchA11y, tappable } from '../../components/a11y';
import { Btn } from '../../components/Btn';
import { Page } from '../../components/Page';
import { useElderMode } from '../../elder/use-elder-mode';
import { useApi } from '../../hooks/use-api';
import { logout, ROLE_TEXT } from '../../session/session';
import { useActingFor } from '../../session/use-acting-for';
import { offersHousehold } from '../index/home-model';
import { NameEditor } from './NameEditor';
import { ReachSwitch } from './ReachSwitch';

/** A tappable row; NutUI's Cell drops data-* props, so the test id sits on a wrapper. */
function LinkRow({
  text,
  url,
  extra,
  testId,
}: {
  text: string;
  url: string;
  extra?: string;
  testId: string;
}) {
  return (
    // NutUI's Cell passes no props through (no role, no tab stop): the row around it is the control.
    <View data-testid={testId} onClick={() => void Taro.navigateTo({ url })} {...tappable()}>
      <Cell
        clickable
        className="mine-row"
        title={text}
        extra={<Text className="muted">{extra ?? '›'}</Text>}
      />
    </View>
  );
}

export default function MinePage() {
  const me = useApi(() => call('me'), { refreshOnShow: true });
  const [elder, setElder] = useElderMode();
  const acting = useActingFor();
  const data = me.data;
  const household = data ? offersHousehold(data.roles) : false;

  return (
    <Page name="mine" state={me}>
      {data ? (
        <>
          <View className="card stack" data-testid="mine-profile">
            {acting ? (
              <Text className="card__title">{data.user.name}</Text>
            ) : (
              <NameEditor name={data.user.name} onSaved={me.reload} />
            )}
            <Text className="muted">手机号：{data.user.phoneMasked ?? '未绑定'}</Text>
            <Text className="muted">
              身份：{data.roles.length ? data.roles.map((r) => ROLE_TEXT[r]).join('、') : '暂无'}
            </Text>
          </View>

          <CellGroup className="mine-group">
            {/* Staff, caregivers and the operator work here; they are not asked to verify a household. */}
            {household || data.memberships.length > 0 ? (
              <LinkRow text="我的住户认证" url={PAGES.membership} testId="mine-membership" />
            ) : null}
            <LinkRow
              text="消息"
              url={PAGES.inbox}
              extra={data.unreadNotifications > 0 ? `${data.unreadNotifications} 条未读` : undefined}
              testId="mine-inbox"
            />
            <LinkRow text="居家养老服务" url={PAGES.careDashboard} testId="mine-care" />
            {/* The elder (or a family member acting for one): neighbours' help and the alarm. */}
            {data.user.isElder ? (
              <LinkRow text="邻里互助" url={PAGES.help} extra="一键求助 ›" testId="mine-help" />
            ) : null}
            {acting ? null : data.roles.includes('volunteer') ? (
              <LinkRow text="志愿服务" url={PAGES.volunteerHome} testId="mine-volunteer" />
            ) : (
              <LinkRow text="成为志愿者" url={PAGES.volunteerApply} testId="mine-volunteer-apply" />
            )}
            {/* While acting, "me" is the elder: links and staff tools stay with the signed-in person. */}
            {/* An elder answers family members' requests there; everyone else links the elders they help. */}
            {acting ? null : data.user.isElder ? (
              <LinkRow
                text="家属代办授权"
                url={PAGES.family}
                extra="确认或解除家人代办 ›"
                testId="mine-family"
              />
            ) : (
              <LinkRow text="家属代办" url={PAGES.family} extra="添加长辈、为TA代办 ›" testId="mine-family" />
            )}
            {!acting && data.roles.includes('staff') ? (
              <>
                <LinkRow text="居民审核" url={PAGES.staffMemberships} testId="mine-staff-review" />
                <LinkRow text="代办确认" url={PAGES.staffProxyLinks} testId="mine-staff-proxy" />
                <LinkRow text="商家审核" url={PAGES.staffMerchants} testId="mine-staff-merchants" />
                <LinkRow
                  text="退款异常处理"
                  url={PAGES.staffPaymentRefunds}
                  testId="mine-staff-payment-refunds"
                />
                <LinkRow text="生鲜柜管理" url={PAGES.staffLockers} testId="mine-staff-lockers" />
                <LinkRow text="配送时段" url={PAGES.staffWindows} testId="mine-staff-windows" />
                <LinkRow text="配送批次与超时订单" url={PAGES.staffBatches} testId="mine-staff-batches" />
              </>
            ) : null}
          </CellGroup>

          {data.memberships.some((m) => m.status === 'approved') ? (
            <CellGroup className="mine-group" title="社区生活">
              <LinkRow text="通知公告" url={PAGES.communityNotices} testId="mine-community-notices" />
              <LinkRow text="社区活动" url={PAGES.communityActivities} testId="mine-community-activities" />
              <LinkRow text="议事" url={PAGES.communityPolls} testId="mine-community-polls" />
              <LinkRow text="兴趣小组" url={PAGES.communityGroups} testId="mine-community-groups" />
              <LinkRow text="我的诉求" url={PAGES.requests} testId="mine-requests" />
            </CellGroup>
          ) : null}

          {!acting && data.roles.includes('staff') ? (
            <CellGroup className="mine-group" title="居家养老">
              <LinkRow
                text="服务机构审核"
                url={PAGES.staffCareProviders}
                testId="mine-staff-care-providers"
              />
              <LinkRow text="服务项目与补贴" url={PAGES.staffCareCatalog} testId="mine-staff-care-catalog" />
              <LinkRow text="每日上门预约" url={PAGES.staffCareBookings} testId="mine-staff-care-bookings" />
              <LinkRow text="考勤与结算" url={PAGES.staffCareReports} testId="mine-staff-care-reports" />
            </CellGroup>
          ) : null}

          {!acting && data.roles.includes('staff') ? (
            <CellGroup className="mine-group" title="志愿服务">
              <LinkRow text="志愿者审核" url={PAGES.staffVolunteers} testId="mine-staff-volunteers" />
              <LinkRow text="互助任务" url={PAGES.staffHelpTasks} testId="mine-staff-help-tasks" />
              <LinkRow text="志愿活动" url={PAGES.staffActivities} testId="mine-staff-activities" />
              <LinkRow text="应急队伍" url={PAGES.staffTeams} testId="mine-staff-teams" />
              <LinkRow text="紧急求助" url={PAGES.staffEmergencies} testId="mine-staff-emergencies" />
              <LinkRow text="每日报平安" url={PAGES.staffCheckins} testId="mine-staff-checkins" />
            </CellGroup>
          ) : null}

          {!acting && data.roles.includes('staff') ? (
            <CellGroup className="mine-group" title="邻里内容">
              <LinkRow text="内容审核" url={PAGES.officeModeration} testId="mine-office-moderation" />
              <LinkRow text="敏感词" url={PAGES.officeWords} testId="mine-office-words" />
            </CellGroup>
          ) : null}

          {!acting && data.roles.includes('staff') ? (
            <CellGroup className="mine-group" title="社区事务">
              <LinkRow text="发布公告" url={PAGES.officeNotices} testId="mine-office-notices" />
              <LinkRow text="紧急通知" url={PAGES.officeAlerts} testId="mine-office-alerts" />
              <LinkRow text="议事管理" url={PAGES.officePolls} testId="mine-office-polls" />
              <LinkRow text="社区活动管理" url={PAGES.officeActivities} testId="mine-office-activities" />
              <LinkRow text="兴趣小组管理" url={PAGES.officeGroups} testId="mine-office-groups" />
              <LinkRow text="诉求派单" url={PAGES.officeRequests} testId="mine-office-requests" />
              <LinkRow text="诉求统计" url={PAGES.officeStats} testId="mine-office-stats" />
            </CellGroup>
          ) : null}

          {!acting && data.roles.includes('caregiver') ? (
            <CellGroup className="mine-group" title="护理员">
              <LinkRow text="今日上门" url={PAGES.caregiverVisits} testId="mine-caregiver-visits" />
            </CellGroup>
          ) : null}

          {!acting && data.roles.includes('courier') ? (
            <CellGroup className="mine-group" title="配送员">
              <LinkRow text="我的配送批次" url={PAGES.courierBatches} testId="mine-courier-batches" />
            </CellGroup>
          ) : null}

          {/* 商家工作台 for shop owners; anyone else may apply to open a shop. Not while acting for an elder. */}
          {acting ? null : data.roles.includes('merchant') ? (
            <CellGroup className="mine-group" title="商家工作台">
              <LinkRow text="订单管理" url={PAGES.merchantOrders} testId="mine-merchant-orders" />
              <LinkRow text="商品管理" url={PAGES.merchantProducts} testId="mine-merchant-products" />
              <LinkRow text="营业设置" url={PAGES.merchantHours} testId="mine-merchant-hours" />
              <LinkRow text="经营数据" url={PAGES.merchantStats} testId="mine-merchant-stats" />
              <LinkRow text="上门报修" url={PAGES.merchantRequests} testId="mine-merchant-requests" />
            </CellGroup>
          ) : household ? (
            <CellGroup className="mine-group">
              <LinkRow text="我要开店" url={PAGES.merchantApply} testId="mine-merchant-apply" />
            </CellGroup>
          ) : null}

          {/* 机构工作台 for care providers; a resident may apply to run one. Not while acting for an elder. */}
          {acting ? null : data.roles.includes('provider') ? (
            <CellGroup className="mine-group" title="服务机构">
              <LinkRow text="机构工作台" url={PAGES.providerHome} testId="mine-provider-home" />
            </CellGroup>
          ) : data.roles.includes('resident') ? (
            <CellGroup className="mine-group">
              <LinkRow text="申请成为服务机构" url={PAGES.providerApply} testId="mine-provider-apply" />
            </CellGroup>
          ) : null}

          <CellGroup className="mine-group">
            {/* NutUI's Cell always listens for taps; the switch in it is the control. */}
            <View data-tap-passive>
              <Cell
                className="mine-row"
                title={
                  <View>
                    <Text>长辈模式</Text>
                    <Text className="muted">字更大、按钮更大、对比更清晰</Text>
                  </View>
                }
                extra={
                  <Switch
                    checked={elder}
                    onChange={(on) => setElder(on)}
                    data-testid="elder-switch"
                    ariaLabel="长辈模式"
                    {...switchA11y(elder)}
                  />
                }
                align="center"
              />
            </View>
          </CellGroup>

          {/* Lockers: the person's own wish for compartments at hand height (not while acting: it is theirs). */}
          {!acting && data.roles.includes('resident') ? (
            <CellGroup className="mine-group" title="生鲜柜">
              <ReachSwitch value={data.user.reachableCompartments} onSaved={me.reload} />
            </CellGroup>
          ) : null}

          <Btn variant="danger" onClick={() => void logout()} testId="logout">
            退出登录
          </Btn>
        </>
      ) : null}
    </Page>
  );
}
