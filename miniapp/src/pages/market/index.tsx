import { ComingSoon } from '../../components/ComingSoon';

export default function MarketPage() {
  return (
    <ComingSoon
      name="market"
      headline="生鲜集市即将开放"
      description="社区团购的蔬菜、水果、肉蛋奶，下单后送到小区自提柜或家门口。"
    />
  );
}
