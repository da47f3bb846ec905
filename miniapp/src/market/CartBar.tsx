import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatYuan, PAGES } from 'shared';
import { tappable } from '../components/a11y';
import { cart, useCart } from './cart';

/**
 * 购物车 with its count and total; tap goes to the cart. Not drawn while the cart is empty: an
 * empty bar would only push the products down the first screen (the tab badge and 加入购物车 say
 * the rest).
 */
export function CartBar() {
  useCart();
  const count = cart.count();
  const groups = cart.groups();
  const total = groups.reduce((sum, g) => sum + g.itemsFen, 0);
  if (count === 0) return null;
  return (
    <View
      {...tappable()}
      className="cart-bar"
      onClick={() => void Taro.navigateTo({ url: PAGES.cart })}
      data-testid="cart-bar"
    >
      <Text className="cart-bar__label">购物车</Text>
      <Text className="badge" data-testid="cart-count">
        {String(count)}
      </Text>
      <Text className="cart-bar__total">{`${formatYuan(total)}${groups.length > 1 ? ` · ${groups.length}家` : ''}`}</Text>
      <Text className="cart-bar__go">去结算 ›</Text>
    </View>
  );
}
