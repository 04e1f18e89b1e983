import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PaySimError } from './errors'
import { ALICE, ALICE_TOKEN, APPID, CLOUDPAY_KEY, NO_OPENID_TOKEN, SUB_MCH_ID, harness, unifiedOrderData } from './fakes'
import { paySign } from '../../payment/protocol/sign'

const order = (h: ReturnType<typeof harness>, overrides: Record<string, unknown> = {}, token = ALICE_TOKEN) =>
  h.sim.cloudPayApi('unifiedOrder', unifiedOrderData(overrides), token)

describe('cloudPay unifiedOrder', () => {
  it('answers a prepay_id and a payment whose paySign is computed with the cloudPay key', async () => {
    const h = harness()
    const answer = await order(h)
    assert.equal(answer.return_code, 'SUCCESS')
    assert.equal(answer.result_code, 'SUCCESS')
    assert.equal(answer.sub_mch_id, SUB_MCH_ID)
    assert.match(String(answer.prepay_id), /^wx\d{14}[0-9a-f]{20}$/)
    const payment = answer.payment as Record<string, string>
    assert.equal(payment.appId, APPID)
    assert.equal(payment.package, `prepay_id=${String(answer.prepay_id)}`)
    assert.equal(payment.signType, 'MD5')
    assert.equal(payment.timeStamp, String(Math.floor(h.clock.now() / 1000)))
    const { appId = '', nonceStr = '', package: pkg = '', timeStamp = '' } = payment
    assert.equal(payment.paySign, paySign({ appId, nonceStr, package: pkg, signType: 'MD5', timeStamp }, CLOUDPAY_KEY))
    assert.notEqual(payment.paySign, paySign({ appId, nonceStr, package: pkg, signType: 'MD5', timeStamp }, 'another-key'))
  })

  it('is idempotent for the same parameters and refuses a changed order with OUT_TRADE_NO_USED', async () => {
    const h = harness()
    const first = await order(h)
    const again = await order(h, { nonce_str: 'another', spbill_create_ip: '10.0.0.2' })
    assert.equal(again.prepay_id, first.prepay_id)
    const changed = await order(h, { total_fee: 2990 })
    assert.equal(changed.return_code, 'SUCCESS')
    assert.equal(changed.result_code, 'FAIL')
    assert.equal(changed.err_code, 'OUT_TRADE_NO_USED')
    assert.equal((await order(h, { body: 'other' })).err_code, 'OUT_TRADE_NO_USED')
  })

  const malformed: Array<[string, Record<string, unknown>, string]> = [
    ['function_name missing', { function_name: undefined }, '缺少参数'],
    ['env_id missing', { env_id: undefined }, '缺少参数'],
    ['sub_mch_id missing', { sub_mch_id: undefined }, '缺少参数'],
    ['nonce_str missing', { nonce_str: undefined }, '缺少参数'],
    ['body missing', { body: '' }, '缺少参数'],
    ['out_trade_no missing', { out_trade_no: undefined }, '缺少参数'],
    ['total_fee missing', { total_fee: undefined }, '缺少参数'],
    ['spbill_create_ip missing', { spbill_create_ip: undefined }, '缺少参数'],
    ['total_fee as a string', { total_fee: '1990' }, 'total_fee参数格式错误'],
    ['total_fee with decimals', { total_fee: 19.9 }, 'total_fee参数格式错误'],
    ['total_fee zero', { total_fee: 0 }, 'invalid total_fee'],
    ['total_fee negative', { total_fee: -1 }, 'invalid total_fee'],
    ['nonce_str over 32', { nonce_str: 'x'.repeat(33) }, 'nonce_str参数长度有误'],
    ['body over 128 bytes', { body: '好'.repeat(43) }, 'body参数长度有误'],
    ['attach over 127 bytes', { attach: 'a'.repeat(128) }, 'attach参数长度有误'],
    ['out_trade_no too short', { out_trade_no: 'T1' }, 'out_trade_no参数格式错误'],
    ['out_trade_no over 32', { out_trade_no: 'T'.repeat(33) }, 'out_trade_no参数格式错误'],
    ['out_trade_no with other characters', { out_trade_no: 'T2024/03/21#1' }, 'out_trade_no参数格式错误'],
    ['spbill_create_ip not an IP', { spbill_create_ip: 'localhost' }, 'invalid spbill_create_ip'],
    ['time_expire malformed', { time_expire: '2024-03-21' }, 'time_expire参数格式错误'],
  ]
  for (const [name, overrides, returnMsg] of malformed) {
    it(`answers return_code FAIL for ${name}`, async () => {
      const answer = await order(harness(), overrides)
      assert.deepEqual(answer, { return_code: 'FAIL', return_msg: returnMsg })
    })
  }

  it('takes openid from the caller and refuses a caller without one', async () => {
    const h = harness()
    await order(h, { sub_openid: 'someone-else' })
    await h.sim.simPay({ outTradeNo: 'T20240321000001', result: 'SUCCESS' })
    const event = h.invoker.calls[0]?.event
    assert.equal(event?.subOpenid, ALICE)
    assert.deepEqual(await order(harness(), {}, NO_OPENID_TOKEN), { return_code: 'FAIL', return_msg: 'JSAPI支付必须传openid' })
  })

  it('answers 受理关系不存在 for a sub merchant not bound to the service provider', async () => {
    const answer = await order(harness(), { sub_mch_id: '1900009999' })
    assert.equal(answer.result_code, 'FAIL')
    assert.equal(answer.err_code_des, '受理关系不存在')
  })

  it('refuses an env_id other than the local environment', async () => {
    const answer = await order(harness(), { env_id: 'prod-env' })
    assert.equal(answer.err_code, 'PARAM_ERROR')
  })

  it('throws a typed platform error for an unknown caller or API', async () => {
    const h = harness()
    await assert.rejects(order(h, {}, 'forged-token'), (e: unknown) => e instanceof PaySimError && e.code === 'CALLER_UNKNOWN')
    await assert.rejects(h.sim.cloudPayApi('__proto__', {}, ALICE_TOKEN), (e: unknown) => e instanceof PaySimError && e.code === 'UNKNOWN_API')
  })

  it('answers SYSTEMERROR and changes nothing when the store refuses the write', async () => {
    const h = harness()
    h.store.failPuts = true
    assert.equal((await order(h)).err_code, 'SYSTEMERROR')
    h.store.failPuts = false
    const query = await h.sim.cloudPayApi('queryOrder', { sub_mch_id: SUB_MCH_ID, nonce_str: 'n', out_trade_no: 'T20240321000001' }, ALICE_TOKEN)
    assert.equal(query.err_code, 'ORDERNOTEXIST')
  })
})

describe('cloudPay queryOrder and simPay', () => {
  const query = (h: ReturnType<typeof harness>) =>
    h.sim.cloudPayApi('queryOrder', { sub_mch_id: SUB_MCH_ID, nonce_str: 'n', out_trade_no: 'T20240321000001' }, ALICE_TOKEN)

  it('reports NOTPAY, then SUCCESS with a 28-digit transaction_id and a Beijing time_end', async () => {
    const h = harness()
    await order(h)
    assert.equal((await query(h)).trade_state, 'NOTPAY')
    const outcome = await h.sim.simPay({ outTradeNo: 'T20240321000001', result: 'SUCCESS' })
    assert.equal(outcome.tradeState, 'SUCCESS')
    const paid = await query(h)
    assert.equal(paid.trade_state, 'SUCCESS')
    assert.match(String(paid.transaction_id), /^\d{28}$/)
    // 2024-03-21T05:20:07Z is 13:20:07 in Beijing.
    assert.equal(paid.time_end, '20240321132007')
    assert.equal(paid.sub_openid, ALICE)
    assert.equal(paid.total_fee, 1990)
  })

  it('delivers the camelCase payment callback to function_name and records it as acknowledged', async () => {
    const h = harness()
    await order(h, { attach: 'cart-7' })
    await h.sim.simPay({ outTradeNo: 'T20240321000001', result: 'SUCCESS' })
    assert.equal(h.invoker.calls.length, 1)
    const call = h.invoker.calls[0]
    assert.equal(call?.functionName, 'payNotify')
    const event = call?.event ?? {}
    assert.equal(event.returnCode, 'SUCCESS')
    assert.equal(event.resultCode, 'SUCCESS')
    assert.equal(event.outTradeNo, 'T20240321000001')
    assert.equal(event.totalFee, 1990)
    assert.equal(event.cashFee, 1990)
    assert.equal(event.subMchId, SUB_MCH_ID)
    assert.equal(event.subAppid, APPID)
    assert.equal(event.attach, 'cart-7')
    assert.equal(event.timeEnd, '20240321132007')
    assert.match(String(event.transactionId), /^\d{28}$/)
    const [notification] = await h.sim.listNotifications({ outTradeNo: 'T20240321000001' })
    assert.equal(notification?.status, 'ACKNOWLEDGED')
    assert.equal(notification?.attempts.length, 1)
  })

  it('marks a failed payment PAYERROR without a callback, and lets the shopper pay again', async () => {
    const h = harness()
    await order(h)
    const failed = await h.sim.simPay({ outTradeNo: 'T20240321000001', result: 'FAIL' })
    assert.equal(failed.tradeState, 'PAYERROR')
    assert.equal((await query(h)).trade_state, 'PAYERROR')
    assert.equal(h.invoker.calls.length, 0)
    assert.equal((await h.sim.simPay({ outTradeNo: 'T20240321000001', result: 'SUCCESS' })).tradeState, 'SUCCESS')
    assert.equal(h.invoker.calls.length, 1)
  })

  it('answers typed errors for bad input, unknown, already-paid and closed trades', async () => {
    const h = harness()
    const code = async (input: unknown) => {
      try {
        await h.sim.simPay(input)
        return 'OK'
      } catch (err) {
        if (err instanceof PaySimError) return err.code
        throw err
      }
    }
    assert.equal(await code(null), 'INVALID_ARGUMENT')
    assert.equal(await code({ outTradeNo: 'T20240321000001', result: 'MAYBE' }), 'INVALID_ARGUMENT')
    assert.equal(await code({ outTradeNo: 'x', result: 'SUCCESS' }), 'INVALID_ARGUMENT')
    assert.equal(await code({ outTradeNo: 'T20240321000001', result: 'SUCCESS' }), 'TRADE_NOT_FOUND')
    await order(h)
    assert.equal(await code({ outTradeNo: 'T20240321000001', result: 'SUCCESS' }), 'OK')
    assert.equal(await code({ outTradeNo: 'T20240321000001', result: 'SUCCESS' }), 'TRADE_ALREADY_PAID')
    await order(h, { out_trade_no: 'T20240321000002' })
    await h.clock.advance(5 * 60_000)
    await h.sim.cloudPayApi('closeOrder', { sub_mch_id: SUB_MCH_ID, nonce_str: 'n', out_trade_no: 'T20240321000002' }, ALICE_TOKEN)
    assert.equal(await code({ outTradeNo: 'T20240321000002', result: 'SUCCESS' }), 'TRADE_CLOSED')
    assert.equal((await order(h)).err_code, 'ORDERPAID')
  })

  it('keeps trades across a restart', async () => {
    const h = harness()
    await order(h)
    const answer = await h.restart().cloudPayApi('queryOrder', { sub_mch_id: SUB_MCH_ID, nonce_str: 'n', out_trade_no: 'T20240321000001' }, ALICE_TOKEN)
    assert.equal(answer.trade_state, 'NOTPAY')
  })
})

describe('cloudPay closeOrder', () => {
  const close = (h: ReturnType<typeof harness>) =>
    h.sim.cloudPayApi('closeOrder', { sub_mch_id: SUB_MCH_ID, nonce_str: 'n', out_trade_no: 'T20240321000001' }, ALICE_TOKEN)

  it('is refused within 5 minutes (scaled) of creation, then closes the order once', async () => {
    const h = harness({ timeScale: 0.1 })
    await order(h)
    const early = await close(h)
    assert.equal(early.result_code, 'FAIL')
    assert.equal(early.err_code, 'SYSTEMERROR')
    await h.clock.advance(30_000)
    const closed = await close(h)
    assert.equal(closed.result_code, 'SUCCESS')
    const state = await h.sim.cloudPayApi('queryOrder', { sub_mch_id: SUB_MCH_ID, nonce_str: 'n', out_trade_no: 'T20240321000001' }, ALICE_TOKEN)
    assert.equal(state.trade_state, 'CLOSED')
    assert.equal((await close(h)).err_code, 'ORDERCLOSED')
    assert.equal((await order(h)).err_code, 'ORDERCLOSED')
  })

  it('is refused with ORDERPAID for a paid order and ORDERNOTEXIST for an unknown one', async () => {
    const h = harness()
    assert.equal((await close(h)).err_code, 'ORDERNOTEXIST')
    await order(h)
    await h.sim.simPay({ outTradeNo: 'T20240321000001', result: 'SUCCESS' })
    await h.clock.advance(10 * 60_000)
    assert.equal((await close(h)).err_code, 'ORDERPAID')
  })
})
