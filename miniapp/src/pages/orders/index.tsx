import { ComingSoon } from '../../components/ComingSoon';

export default function OrdersPage() {
  return (
    <ComingSoon
      name="orders"
      headline="订单功能即将上线"
      description="集市开放后，你在这里查看订单进度、取件码和售后。"
    />
  );
}
