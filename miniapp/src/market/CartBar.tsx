import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatYuan, PAGES } from 'shared';
import { cart, useCart } from './cart';

/** 购物车 with its count and total; tap goes to the cart. */
export function CartBar() {
  useCart();
  const count = cart.count();
  const groups = cart.groups();
  const total = groups.reduce((sum, g) => sum + g.itemsFen, 0);
  return (
    <View
      className="cart-bar"
      onClick={() => void Taro.navigateTo({ url: PAGES.cart })}
      data-testid="cart-bar"
    >
      <Text className="cart-bar__label">购物车</Text>
      {count > 0 ? (
        <>
          <Text className="badge" data-testid="cart-count">
            {String(count)}
          </Text>
          <Text className="cart-bar__total">{`${formatYuan(total)}${groups.length > 1 ? ` · ${groups.length}家` : ''}`}</Text>
          <Text className="cart-bar__go">去结算 ›</Text>
        </>
      ) : (
        <Text className="cart-bar__total muted">还没有商品</Text>
      )}
    </View>
  );
}
