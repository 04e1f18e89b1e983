// Benchmark baseline: the shape of the original tutorial's single `pay` cloud function —
// wx-server-sdk, wx-js-utils, dayjs and ip installed unbundled in node_modules, one function
// that prices the goods, calls unifiedorder through WXPay, stores the order and signs the
// payment. Written for `npm run bench` only; it is not part of the shop.
const cloud = require('wx-server-sdk')
const { WXPay, WXPayUtil } = require('wx-js-utils')
const ip = require('ip')
const dayjs = require('dayjs')

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
const db = cloud.database()

const appId = process.env.WXPAY_APPID
const mchId = process.env.WXPAY_MCH_ID
const key = process.env.WXPAY_KEY

exports.main = async (event) => {
  const { OPENID } = cloud.getWXContext()
  const pay = new WXPay({ appId, mchId, key, signType: 'MD5', timeout: 10000 })
  const goods = (await db.collection('goods').doc(event.goodsId).get()).data
  const outTradeNo = `${dayjs().format('YYYYMMDDHHmmss')}${Math.random().toString().slice(-6)}`
  const result = await pay.unifiedOrder({
    body: goods.name,
    out_trade_no: outTradeNo,
    total_fee: goods.priceFen,
    spbill_create_ip: ip.address(),
    notify_url: process.env.WXPAY_NOTIFY_URL,
    trade_type: 'JSAPI',
    openid: OPENID,
  })
  await db
    .collection('orders')
    .add({ data: { _id: outTradeNo, outTradeNo, _openid: OPENID, totalFee: goods.priceFen, status: 'NOTPAY', prepayId: result.prepay_id } })
  const payment = {
    appId,
    timeStamp: String(dayjs().unix()),
    nonceStr: WXPayUtil.generateNonceStr(),
    package: `prepay_id=${result.prepay_id}`,
    signType: 'MD5',
  }
  payment.paySign = WXPayUtil.generateSignature(payment, key, 'MD5')
  return { outTradeNo, payment }
}
