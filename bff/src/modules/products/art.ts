/**
 * Pictures of the demo products, drawn here as SVG from simple shapes (no downloaded photos): each
 * seeded product has its own drawing, in its own colours, on a soft background. The seed renders
 * them to PNG and stores them through the uploads module like a merchant's photo.
 * `pnpm --filter bff exec tsx src/modules/products/draw-art.ts <dir>` writes them out to look at.
 */

const SIZE = 240;

type Draw = () => string;

const circle = (cx: number, cy: number, r: number, fill: string, extra = '') =>
  `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}" ${extra}/>`;
const ellipse = (cx: number, cy: number, rx: number, ry: number, fill: string, extra = '') =>
  `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="${fill}" ${extra}/>`;
const rect = (x: number, y: number, w: number, h: number, fill: string, rx = 0, extra = '') =>
  `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${rx}" fill="${fill}" ${extra}/>`;
const path = (d: string, fill: string, extra = '') => `<path d="${d}" fill="${fill}" ${extra}/>`;
const stroke = (d: string, color: string, width: number) =>
  `<path d="${d}" fill="none" stroke="${color}" stroke-width="${width}" stroke-linecap="round" stroke-linejoin="round"/>`;
const rotate = (deg: number, body: string, cx = 120, cy = 120) =>
  `<g transform="rotate(${deg} ${cx} ${cy})">${body}</g>`;
const leaf = (x: number, y: number, deg: number, fill = '#3f9a3a', len = 34) =>
  rotate(
    deg,
    path(`M${x} ${y} q${len / 2} -${len / 2} ${len} 0 q-${len / 2} ${len / 2} -${len} 0z`, fill),
    x,
    y,
  );

/** A shadow under the thing, so it sits on the card instead of floating. */
const shadow = (cx = 120, cy = 196, rx = 70) => ellipse(cx, cy, rx, 10, '#000', 'opacity="0.08"');

/** A bowl seen from the side, with what is in it drawn by `top` (its surface at y≈118). */
const bowl = (rim: string, body: string, top: string) =>
  shadow() +
  ellipse(120, 120, 78, 20, rim) +
  top +
  path('M42 120 q0 70 78 70 q78 0 78 -70z', body) +
  ellipse(120, 188, 28, 6, body);

/** A bottle: cap, shoulders, label. */
const bottle = (glass: string, cap: string, label: string, mark = '') =>
  shadow(120, 204, 46) +
  rect(104, 30, 32, 22, cap, 4) +
  path('M108 52 h24 v18 q30 14 30 44 v78 q0 12 -12 12 h-60 q-12 0 -12 -12 v-78 q0 -30 30 -44z', glass) +
  rect(84, 118, 72, 52, label, 6) +
  mark;

/** A box or carton with a front face and a top. */
const box = (front: string, top: string, side: string, mark = '') =>
  shadow(120, 204, 80) +
  path('M44 88 l28 -26 h126 l-28 26z', top) +
  path('M170 88 l28 -26 v110 l-28 26z', side) +
  rect(44, 88, 126, 110, front, 4) +
  mark;

/** A takeaway tray with compartments, filled with the dishes of a set meal. */
const tray = (dishes: string[]) =>
  shadow(120, 196, 86) +
  rect(30, 62, 180, 128, '#f4f1ea', 14, 'stroke="#d9d2c3" stroke-width="4"') +
  rect(42, 74, 96, 104, dishes[0]!, 10) +
  rect(148, 74, 50, 48, dishes[1]!, 8) +
  rect(148, 130, 50, 48, dishes[2]!, 8);

const DRAWINGS: Record<string, Draw> = {
  本地小白菜: () =>
    shadow() +
    [-24, -8, 8, 24]
      .map((dx, i) =>
        rotate(
          dx * 0.8,
          ellipse(120 + dx, 96, 20, 56, i % 2 ? '#4caf50' : '#66bb3a') +
            ellipse(120 + dx, 150, 12, 40, '#eef5dc'),
          120,
          190,
        ),
      )
      .join(''),
  沙瓤西红柿: () =>
    shadow() +
    circle(120, 128, 66, '#e53935') +
    ellipse(96, 106, 16, 10, '#ff8a80', 'opacity="0.7"') +
    path('M120 62 l10 14 l18 -4 l-10 14 l14 10 h-20 l-12 12 l-4 -16 l-18 -2 l14 -10z', '#2e7d32') +
    rect(117, 48, 6, 18, '#33691e', 3),
  顶花带刺黄瓜: () =>
    shadow() +
    rotate(
      -30,
      rect(40, 104, 170, 40, '#2e7d32', 20) +
        [60, 90, 120, 150, 180]
          .map((x) => circle(x, 116, 3, '#c5e1a5') + circle(x + 14, 132, 3, '#c5e1a5'))
          .join(''),
    ) +
    circle(200, 70, 10, '#fdd835'),
  黄心土豆: () =>
    shadow() +
    ellipse(98, 134, 54, 42, '#c9a25b') +
    ellipse(150, 142, 44, 36, '#d8b46a') +
    [
      [80, 124],
      [108, 146],
      [150, 130],
      [160, 156],
    ]
      .map(([x, y]) => circle(x!, y!, 3.5, '#8d6e3f'))
      .join(''),
  二荆条青椒: () =>
    shadow() +
    stroke('M70 70 q-10 70 50 120', '#43a047', 22) +
    stroke('M120 62 q10 70 60 118', '#2e7d32', 22) +
    stroke('M70 64 v-14', '#6d4c41', 6) +
    stroke('M120 56 v-14', '#6d4c41', 6),
  有机菠菜: () =>
    shadow() +
    [-40, -20, 0, 20, 40]
      .map((deg, i) =>
        rotate(
          deg,
          ellipse(120, 84, 22, 50, i % 2 ? '#1b5e20' : '#2e7d32') + rect(117, 130, 6, 50, '#8bc34a', 3),
          120,
          180,
        ),
      )
      .join('') +
    ellipse(120, 182, 14, 8, '#e57373'),
  红心莴笋: () =>
    shadow() +
    rotate(
      -20,
      rect(104, 80, 32, 120, '#c5e1a5', 16) +
        leaf(120, 82, -60, '#558b2f', 60) +
        leaf(120, 82, -120, '#689f38', 60) +
        leaf(120, 86, -90, '#33691e', 56),
    ),
  攀枝花凯特芒: () =>
    shadow() +
    rotate(
      -25,
      ellipse(120, 128, 78, 52, '#9ccc65') + ellipse(150, 118, 40, 30, '#fbc02d', 'opacity="0.75"'),
    ) +
    leaf(70, 84, -140, '#33691e', 40),
  蒲江丑柑: () =>
    shadow() +
    circle(120, 132, 62, '#fb8c00') +
    ellipse(120, 72, 22, 14, '#fb8c00') +
    [
      [100, 120],
      [140, 110],
      [128, 150],
      [92, 156],
    ]
      .map(([x, y]) => circle(x!, y!, 2.5, '#ef6c00'))
      .join('') +
    leaf(122, 60, -30, '#388e3c', 36),
  红富士苹果: () =>
    shadow() +
    path(
      'M120 78 c-40 -26 -86 4 -80 52 c6 46 40 70 80 56 c40 14 74 -10 80 -56 c6 -48 -40 -78 -80 -52z',
      '#d32f2f',
    ) +
    ellipse(92, 110, 12, 20, '#ff8a80', 'opacity="0.6"') +
    stroke('M120 80 q0 -20 8 -32', '#5d4037', 6) +
    leaf(126, 56, -20, '#43a047', 34),
  龙泉驿水蜜桃: () =>
    shadow() +
    circle(120, 130, 62, '#f8a5a5') +
    ellipse(140, 120, 40, 44, '#f06292', 'opacity="0.55"') +
    stroke('M120 72 q-16 58 0 116', '#e57373', 4) +
    leaf(120, 70, -150, '#66bb6a', 40) +
    leaf(120, 70, -40, '#43a047', 40),
  麒麟小西瓜: () =>
    shadow() +
    circle(120, 126, 68, '#66bb6a') +
    [-44, -22, 0, 22, 44]
      .map((dx) => stroke(`M${120 + dx} 60 q${dx * 0.4} 66 0 132`, '#1b5e20', 8))
      .join('') +
    stroke('M120 58 q6 -12 18 -14', '#5d4037', 5),
  农家土鸡蛋: () =>
    shadow(120, 196, 86) +
    path('M36 130 h168 l-16 60 h-136z', '#a1785b') +
    stroke('M46 150 h148 M54 170 h132', '#8a6347', 4) +
    ellipse(86, 118, 26, 34, '#f3dcc0') +
    ellipse(122, 110, 26, 34, '#ead0ad') +
    ellipse(158, 118, 26, 34, '#f6e4cc'),
  黑猪前腿肉: () =>
    shadow() +
    path('M40 110 q10 -44 80 -44 q76 0 84 48 q6 50 -70 64 q-90 16 -94 -68z', '#e57373') +
    path('M44 106 q14 -34 76 -36 q70 -2 80 40', 'none', 'stroke="#fff3e0" stroke-width="12"') +
    ellipse(116, 130, 22, 14, '#ef9a9a'),
  散养三黄鸡: () =>
    shadow() +
    ellipse(112, 130, 66, 50, '#f3c26b') +
    rotate(30, ellipse(178, 98, 26, 14, '#e9b04f'), 178, 98) +
    circle(194, 84, 10, '#fff3e0') +
    ellipse(100, 120, 30, 18, '#f7d58f'),
  冰鲜鲈鱼: () =>
    shadow() +
    path('M36 120 q60 -56 130 0 q-70 56 -130 0z', '#90a4ae') +
    path('M160 120 l42 -30 v60z', '#78909c') +
    circle(66, 114, 6, '#263238') +
    stroke('M86 100 q10 20 0 40', '#607d8b', 4) +
    [100, 120, 140].map((x) => stroke(`M${x} 108 q6 12 0 24`, '#b0bec5', 3)).join(''),
  冷冻虾仁: () =>
    shadow() +
    [
      [80, 110],
      [150, 100],
      [116, 150],
    ]
      .map(
        ([x, y]) =>
          stroke(`M${x! - 24} ${y} a26 26 0 1 0 26 -26`, '#ff8a65', 18) + circle(x! - 24, y!, 4, '#e64a19'),
      )
      .join('') +
    rect(40, 170, 160, 10, '#b3e5fc', 5),
  手工猪肉白菜水饺: () =>
    shadow(120, 196, 90) +
    ellipse(120, 150, 92, 36, '#eceff1') +
    [
      [76, 132],
      [120, 124],
      [164, 132],
      [98, 156],
      [142, 156],
    ]
      .map(([x, y]) =>
        path(`M${x! - 24} ${y} q24 -34 48 0 q-24 10 -48 0z`, '#fffdf5', 'stroke="#e0d8c8" stroke-width="2"'),
      )
      .join(''),
  巴氏鲜牛奶: () => bottle('#fdfdfd', '#1e88e5', '#bbdefb', ellipse(120, 144, 20, 14, '#1e88e5')),
  原味老酸奶: () =>
    shadow(120, 200, 60) +
    path('M78 70 h84 q6 60 -6 124 h-72 q-12 -64 -6 -124z', '#d7ccc8') +
    rect(70, 56, 100, 18, '#f5f5f5', 6) +
    rect(84, 110, 72, 40, '#8d6e63', 6) +
    circle(120, 130, 10, '#fff8e1'),
  东北长粒香大米: () =>
    shadow(120, 204, 80) +
    path('M58 60 q62 -18 124 0 l10 130 q-72 18 -144 0z', '#f1e7d0') +
    rect(76, 100, 88, 60, '#c62828', 8) +
    [92, 108, 124, 140].map((x) => ellipse(x, 130, 5, 10, '#fffdf5')).join('') +
    stroke('M64 62 q56 12 112 0', '#c9b68f', 6),
  压榨一级花生油: () => bottle('#fbc02d', '#d84315', '#fff8e1', ellipse(120, 144, 14, 18, '#a1662f')),
  郫县红油豆瓣: () =>
    shadow(120, 200, 60) +
    rect(70, 80, 100, 118, '#b71c1c', 18) +
    rect(66, 62, 108, 26, '#3e2723', 8) +
    rect(84, 118, 72, 48, '#ffe082', 6) +
    circle(120, 142, 14, '#d84315'),
  特级酿造生抽: () => bottle('#4e342e', '#c62828', '#ffe0b2', rect(104, 130, 32, 28, '#6d4c41', 4)),
  红烧牛肉面五连包: () =>
    shadow(120, 200, 90) +
    [0, 1, 2, 3, 4]
      .map(
        (i) =>
          rect(30 + i * 34, 70 + (i % 2) * 8, 42, 118, i % 2 ? '#c62828' : '#e53935', 8) +
          circle(51 + i * 34, 120 + (i % 2) * 8, 10, '#ffca28'),
      )
      .join(''),
  黑芝麻汤圆: () =>
    bowl(
      '#fff8e1',
      '#5c6bc0',
      [
        [92, 112],
        [120, 104],
        [148, 112],
        [106, 124],
        [136, 124],
      ]
        .map(([x, y]) => circle(x!, y!, 16, '#fafafa', 'stroke="#e0e0e0" stroke-width="2"'))
        .join(''),
    ),
  纯牛奶整箱: () =>
    box(
      '#e3f2fd',
      '#bbdefb',
      '#90caf9',
      rect(80, 112, 54, 64, '#ffffff', 6) + ellipse(107, 144, 14, 12, '#1e88e5'),
    ),
  天然饮用水整箱: () =>
    shadow(120, 204, 86) +
    [0, 1, 2, 3]
      .map(
        (i) =>
          rect(40 + i * 42, 60, 34, 138, '#81d4fa', 12) +
          rect(48 + i * 42, 48, 18, 16, '#0277bd', 4) +
          rect(40 + i * 42, 112, 34, 30, '#ffffff', 0),
      )
      .join(''),
  原木抽纸: () =>
    box('#ffe0b2', '#ffcc80', '#ffb74d', ellipse(107, 142, 36, 16, '#ffffff')) +
    path('M98 80 q10 -30 20 -6 q10 -20 16 6z', '#ffffff'),
  深层洁净洗衣液: () =>
    shadow(120, 204, 60) +
    path('M66 90 q0 -24 24 -24 h50 q30 0 30 30 v96 q0 10 -10 10 h-84 q-10 0 -10 -10z', '#1565c0') +
    rect(84, 46, 30, 24, '#ffca28', 4) +
    stroke('M146 78 q34 0 30 40', '#0d47a1', 10) +
    rect(84, 112, 66, 50, '#e3f2fd', 8) +
    circle(117, 137, 12, '#42a5f5'),
  全麦吐司: () =>
    shadow() +
    path('M48 190 v-86 q-14 -4 -14 -24 q0 -26 40 -26 h92 q40 0 40 26 q0 20 -14 24 v86z', '#a0662e') +
    path('M62 184 v-78 q-12 -4 -12 -20 q0 -18 30 -18 h80 q30 0 30 18 q0 16 -12 20 v78z', '#e6c89a') +
    [90, 120, 150].map((x) => circle(x, 130, 3, '#8d5a2b')).join(''),
  黄油牛角可颂: () =>
    shadow() +
    path('M40 150 q80 -110 160 0 q-20 20 -34 10 q-46 -60 -92 0 q-14 10 -34 -10z', '#e0a24c') +
    [80, 104, 136, 160].map((x) => stroke(`M${x} ${x < 120 ? 100 : 100} q4 20 0 40`, '#b5742d', 5)).join(''),
  红豆面包: () =>
    shadow() +
    ellipse(120, 130, 78, 58, '#d9984a') +
    ellipse(120, 116, 60, 34, '#e8b36b') +
    circle(120, 112, 12, '#7b2d26') +
    [96, 144].map((x) => circle(x, 104, 3, '#fff3e0')).join(''),
  法式长棍: () =>
    shadow() +
    rotate(
      -32,
      rect(20, 100, 200, 44, '#c98b3a', 22) +
        [56, 92, 128, 164].map((x) => stroke(`M${x} 112 l22 18`, '#f3d9a8', 6)).join(''),
    ),
  肉松小贝: () =>
    shadow() +
    [
      [88, 128],
      [152, 128],
    ]
      .map(
        ([x, y]) =>
          circle(x!, y!, 34, '#f4d58d') +
          [0, 60, 120, 180, 240, 300]
            .map((a) =>
              circle(
                x! + 24 * Math.cos((a * Math.PI) / 180),
                y! + 24 * Math.sin((a * Math.PI) / 180),
                9,
                '#c98b3a',
              ),
            )
            .join(''),
      )
      .join(''),
  葡式蛋挞: () =>
    shadow() +
    path('M44 110 l18 70 h116 l18 -70z', '#d7a25a') +
    ellipse(120, 110, 76, 22, '#c8893e') +
    ellipse(120, 110, 62, 16, '#ffd54f') +
    [
      [100, 108],
      [132, 112],
      [118, 104],
    ]
      .map(([x, y]) => ellipse(x!, y!, 10, 5, '#8d4f1d'))
      .join(''),
  老婆饼: () =>
    shadow() +
    ellipse(120, 130, 80, 48, '#e9b765') +
    ellipse(120, 122, 70, 36, '#f3cd85') +
    stroke('M96 112 l48 20 M96 132 l48 -20', '#c07a2c', 5),
  重芝士蛋糕: () =>
    shadow() +
    path('M40 150 l140 -70 v60 l-140 56z', '#f9d77e') +
    path('M40 150 l140 -70 l30 20 l-140 66z', '#fce7a6') +
    path('M40 150 l30 16 v56 l-30 -16z', '#e9b44c') +
    path('M40 186 l30 16 l140 -46', 'none', 'stroke="#b07a3b" stroke-width="8"'),
  提拉米苏: () =>
    shadow() +
    rect(50, 80, 140, 110, '#fbe9d0', 10) +
    rect(50, 80, 140, 16, '#6d4c41', 8) +
    rect(50, 120, 140, 12, '#a1887f') +
    rect(50, 156, 140, 12, '#a1887f') +
    [70, 100, 130, 160].map((x) => circle(x, 88, 3, '#3e2723')).join(''),
  '6寸水果奶油蛋糕': () =>
    shadow(120, 200, 84) +
    rect(42, 100, 156, 90, '#fff8f0', 12) +
    ellipse(120, 100, 78, 22, '#ffffff', 'stroke="#f8bbd0" stroke-width="4"') +
    [80, 108, 136, 164]
      .map((x, i) => path(`M${x - 10} ${98 - (i % 2) * 4} q10 -22 20 0 q-10 12 -20 0z`, '#e53935'))
      .join('') +
    circle(120, 88, 8, '#fbc02d') +
    stroke('M48 150 q18 14 36 0 q18 14 36 0 q18 14 36 0 q18 14 36 0', '#f8bbd0', 6),
  两荤一素套餐: () => tray(['#c0622d', '#e6a23c', '#7cb342']) + circle(90, 126, 10, '#8d3b16'),
  一荤两素套餐: () => tray(['#d08a4a', '#8bc34a', '#558b2f']) + circle(90, 126, 10, '#a5562a'),
  软烂红烧肉套餐: () =>
    tray(['#8d3b16', '#f5f5f5', '#9ccc65']) +
    [
      [72, 106],
      [106, 106],
      [72, 144],
      [106, 144],
    ]
      .map(([x, y]) => rect(x! - 14, y! - 12, 30, 26, '#a0461d', 5))
      .join(''),
  清蒸鲈鱼套餐: () =>
    tray(['#cfd8dc', '#f5f5f5', '#7cb342']) +
    path('M48 126 q40 -30 80 0 q-40 30 -80 0z', '#90a4ae') +
    circle(60, 122, 3, '#263238'),
  番茄鸡蛋面: () =>
    bowl(
      '#fff3e0',
      '#ef5350',
      stroke('M60 118 q20 -10 40 0 q20 10 40 0 q20 -10 40 0', '#f5deb3', 6) +
        circle(96, 108, 14, '#e53935') +
        ellipse(146, 110, 20, 12, '#ffd54f'),
    ),
  杂粮馒头: () =>
    shadow(120, 196, 86) +
    path('M30 170 q0 -70 54 -70 q54 0 54 70z', '#d7c4a3') +
    path('M102 176 q0 -70 54 -70 q54 0 54 70z', '#c8b08a') +
    [60, 80, 130, 160].map((x) => circle(x, 150, 3, '#8d6e63')).join(''),
  小米南瓜粥: () => bowl('#ffb74d', '#8d6e63', ellipse(100, 114, 14, 6, '#fff3e0')),
  鸡蛋羹: () =>
    bowl('#ffe082', '#f5f5f5', ellipse(120, 116, 24, 6, '#ffca28') + circle(140, 112, 5, '#43a047')),
  时令素菜: () =>
    shadow(120, 196, 92) +
    ellipse(120, 150, 94, 38, '#f5f5f5', 'stroke="#e0e0e0" stroke-width="4"') +
    [70, 96, 122, 148, 170]
      .map((x, i) => leaf(x - 20, 144 - (i % 2) * 8, -20 - i * 10, i % 2 ? '#2e7d32' : '#558b2f', 42))
      .join(''),
  无糖豆浆: () =>
    shadow(120, 204, 50) +
    path('M76 60 h88 l-12 140 h-64z', '#fffdf5', 'stroke="#d7ccc8" stroke-width="4"') +
    path('M80 96 h80 l-9 104 h-62z', '#f0e2c0') +
    rect(70, 50, 100, 14, '#8d6e63', 6) +
    stroke('M140 50 l14 -26', '#e53935', 6),
};

/** Soft backgrounds, picked per product so neighbours in a list differ. */
const BACKGROUNDS = ['#fdf2e4', '#eaf5ea', '#fdeceb', '#eaf1fb', '#f6efe0', '#f1ecf8', '#e8f4f3', '#fbf5dc'];

function hash(s: string): number {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return h >>> 0;
}

/** The names that have a drawing: every food product of the demo shops. */
export const DRAWN_PRODUCTS = Object.keys(DRAWINGS);

/** The product's drawing as an SVG document, or null for a product we have none for. */
export function productArt(name: string): string | null {
  const draw = DRAWINGS[name];
  if (!draw) return null;
  const bg = BACKGROUNDS[hash(name) % BACKGROUNDS.length]!;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">` +
    rect(0, 0, SIZE, SIZE, bg) +
    draw() +
    '</svg>'
  );
}
