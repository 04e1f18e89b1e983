/**
 * Demo goods for an empty database. Prices are integer fen; `pics` are every picture, cover first
 * (`pic` is the cover, for what reads only one). The pictures ship in ./pictures, served by the
 * local cloud as /static/goods/…: PNGs rendered from ./pictures/src/*.svg by
 * `npx tsx scripts/render-pictures.ts`.
 */
const pics = (...names: string[]) => names.map((name) => `/static/goods/${name}.png`)

export const DEMO_GOODS = [
  {
    _id: 'goods-coffee',
    name: '云南小粒咖啡豆 250g',
    description: '中度烘焙，坚果与焦糖风味',
    priceFen: 6800,
    pic: '/static/goods/coffee.png',
    pics: pics('coffee', 'coffee-2'),
    onSale: true,
  },
  {
    _id: 'goods-ginger-tea',
    name: '手工红糖姜茶',
    description: '十二小袋，暖胃驱寒',
    priceFen: 2990,
    pic: '/static/goods/ginger-tea.png',
    pics: pics('ginger-tea', 'ginger-tea-2'),
    onSale: true,
  },
  {
    _id: 'goods-oats',
    name: '有机燕麦片 1kg',
    description: '整粒压片，无添加糖',
    priceFen: 3990,
    pic: '/static/goods/oats.png',
    pics: pics('oats', 'oats-2'),
    onSale: true,
  },
  {
    _id: 'goods-mug',
    name: '景德镇白瓷马克杯',
    description: '350ml，可微波',
    priceFen: 4500,
    pic: '/static/goods/mug.png',
    pics: pics('mug', 'mug-2', 'mug-3'),
    onSale: true,
  },
  {
    _id: 'goods-tote',
    name: '帆布托特包',
    description: '12 安加厚帆布，内有隔层',
    priceFen: 5900,
    pic: '/static/goods/tote.png',
    pics: pics('tote', 'tote-2'),
    onSale: true,
  },
  {
    _id: 'goods-one-fen',
    name: '一分钱体验装',
    description: '咖啡、姜茶、燕麦各一小包，先尝再买',
    priceFen: 1,
    pic: '/static/goods/sample.png',
    pics: pics('sample', 'sample-2'),
    onSale: true,
  },
  {
    _id: 'goods-retired',
    name: '已下架的旧款茶杯',
    description: '不再销售',
    priceFen: 3500,
    pic: '/static/goods/mug-3.png',
    pics: pics('mug-3'),
    onSale: false,
  },
] as const

/** The collections the functions need; production must have them created too (云开发控制台 → 数据库). */
export const COLLECTIONS = ['goods', 'orders', 'payment_events', 'payment_rejects', 'order_requests', 'staff_audit', 'reconcile_runs'] as const
