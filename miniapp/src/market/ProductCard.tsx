import { Image, Text, View } from '@tarojs/components';
import { formatYuan, type Product } from 'shared';
import { imageSrc } from '../api/upload';
import { Btn } from '../components/Btn';
import { cart, useCart } from './cart';
import { maxQuantity } from './cart-store';
import { Stepper } from './Stepper';
import '../components/image-cover.scss';

export const toCartProduct = (p: Product) => ({
  productId: p.id,
  merchantId: p.merchantId,
  name: p.name,
  unit: p.unit,
  priceFen: p.priceFen,
  originalPriceFen: p.originalPriceFen,
  stock: p.stock,
  perOrderLimit: p.perOrderLimit,
});

/** Price per unit, with the original price struck through when it is higher. */
export function Price({
  priceFen,
  originalPriceFen,
  unit,
}: {
  priceFen: number;
  originalPriceFen: number | null;
  unit: string;
}) {
  return (
    <View className="price-row">
      <Text className="price">{formatYuan(priceFen)}</Text>
      <Text className="price__unit">{`/${unit}`}</Text>
      {originalPriceFen !== null && originalPriceFen > priceFen ? (
        <Text className="price--original" data-testid="original-price">
          {formatYuan(originalPriceFen)}
        </Text>
      ) : null}
    </View>
  );
}

/**
 * The product's first picture (its thumbnail: a card needs no more), or a same-sized placeholder,
 * so cards line up whether or not the merchant has added one.
 */
export function ProductImage({ product: p }: { product: Pick<Product, 'name' | 'images'> }) {
  const img = p.images[0];
  if (!img)
    return (
      <View className="product__image product__image--none" data-testid="product-image-none">
        <Text>暂无图片</Text>
      </View>
    );
  return (
    <Image
      className="product__image img-cover"
      src={imageSrc(img.thumbUrl)}
      mode="aspectFill"
      lazyLoad
      ariaLabel={p.name}
      data-testid="product-image"
    />
  );
}

/**
 * One product with its state: 已售罄 and 休息中 are shown and cannot be added; otherwise
 * 加入购物车, then a stepper bounded by stock and the per-order limit.
 */
export function ProductCard({
  product: p,
  merchantName,
  inShop = false,
}: {
  product: Product;
  merchantName: string;
  /** On the shop's own page the shop's name goes without saying. */
  inShop?: boolean;
}) {
  useCart();
  const quantity = cart.quantity(p.id);
  const max = maxQuantity(p);
  const unavailable = p.soldOut || p.stock <= 0 ? '已售罄' : !p.shopOpen ? '休息中' : null;

  return (
    <View
      className={`card product${unavailable ? ' product--unavailable' : ''}`}
      data-testid={`product-${p.id}`}
    >
      <ProductImage product={p} />
      <View className="product__body">
        <Text className="product__name">{p.name}</Text>
        {merchantName && !inShop ? <Text className="muted">{merchantName}</Text> : null}
        {p.description ? <Text className="muted product__desc">{p.description}</Text> : null}
        {p.perOrderLimit !== null ? (
          <Text className="muted">{`每单限购 ${p.perOrderLimit}${p.unit}`}</Text>
        ) : null}
        {!unavailable && p.stock <= 10 ? <Text className="muted">{`仅剩 ${p.stock}${p.unit}`}</Text> : null}
        <View className="product__foot">
          <Price priceFen={p.priceFen} originalPriceFen={p.originalPriceFen} unit={p.unit} />
          <View className="product__action">
            {unavailable ? (
              <Text className="tag tag--closed" data-testid="product-unavailable">
                {unavailable}
              </Text>
            ) : quantity === 0 ? (
              <Btn
                variant="small"
                onClick={() => {
                  cart.add(toCartProduct(p), merchantName);
                }}
                testId="add-to-cart"
              >
                加入购物车
              </Btn>
            ) : (
              <Stepper
                value={quantity}
                max={max}
                onChange={(n) => {
                  cart.setQuantity(p.id, n);
                }}
                testId="product-stepper"
              />
            )}
          </View>
        </View>
        {quantity > 0 && quantity >= max ? <Text className="muted product__limit">已达购买上限</Text> : null}
      </View>
    </View>
  );
}
