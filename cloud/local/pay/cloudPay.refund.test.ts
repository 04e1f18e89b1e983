import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ALICE_TOKEN, ENV_ID, SUB_MCH_ID, harness, unifiedOrderData, type Harness } from './fakes'

const TRADE = 'T20240321000001'

async function paidTrade(overrides: Partial<Parameters<typeof harness>[0]> = {}, totalFee = 1000): Promise<Harness> {
  const h = harness(overrides)
  await h.sim.cloudPayApi('unifiedOrder', unifiedOrderData({ total_fee: totalFee }), ALICE_TOKEN)
  await h.sim.simPay({ outTradeNo: TRADE, result: 'SUCCESS' })
  return h
}

function refund(h: Harness, outRefundNo: string, refundFee: number, overrides: Record<string, unknown> = {}) {
  return h.sim.cloudPayApi(
    'refund',
    {
      sub_mch_id: SUB_MCH_ID,
      nonce_str: 'n',
      out_trade_no: TRADE,
      out_refund_no: outRefundNo,
      total_fee: 1000,
      refund_fee: refundFee,
      function_name: 'refundNotify',
      env_id: ENV_ID,
      ...overrides,
    },
    ALICE_TOKEN,
  )
}

const queryRefund = (h: Harness, by: Record<string, unknown>) =>
  h.sim.cloudPayApi('queryRefund', { sub_mch_id: SUB_MCH_ID, nonce_str: 'n', ...by }, ALICE_TOKEN)

describe('cloudPay refund', () => {
  it('accepts a partial refund, turns the trade to REFUND, and is idempotent on out_refund_no', async () => {
    const h = await paidTrade()
    const first = await refund(h, 'R1', 300)
    assert.equal(first.result_code, 'SUCCESS')
    assert.equal(first.refund_fee, 300)
    assert.match(String(first.refund_id), /^\d{29}$/)
    const again = await refund(h, 'R1', 300)
    assert.equal(again.refund_id, first.refund_id)
    const order = await h.sim.cloudPayApi('queryOrder', { sub_mch_id: SUB_MCH_ID, nonce_str: 'n', out_trade_no: TRADE }, ALICE_TOKEN)
    assert.equal(order.trade_state, 'REFUND')
    assert.equal((await queryRefund(h, { out_trade_no: TRADE })).refund_count, 1)
  })

  it('refuses a reused out_refund_no with other amounts, a wrong total_fee and more than what is left', async () => {
    const h = await paidTrade()
    await refund(h, 'R1', 600)
    const reused = await refund(h, 'R1', 100)
    assert.equal(reused.err_code, 'INVALID_REQUEST')
    assert.equal(reused.err_code_des, '订单金额或退款金额与之前请求不一致，请核实后再试')
    assert.equal((await refund(h, 'R2', 100, { total_fee: 999 })).err_code, 'INVALID_REQUEST')
    const tooMuch = await refund(h, 'R3', 401)
    assert.equal(tooMuch.err_code, 'INVALID_REQUEST')
    assert.equal((await refund(h, 'R4', 400)).result_code, 'SUCCESS')
    assert.equal((await refund(h, 'R5', 1)).err_code_des, '订单已全额退款')
    // A retry of an accepted refund still answers as before, even once the trade is fully refunded.
    assert.equal((await refund(h, 'R4', 400)).result_code, 'SUCCESS')
  })

  it('refuses malformed refund requests before any business rule', async () => {
    const h = await paidTrade()
    assert.deepEqual(await refund(h, 'R1', 0), { return_code: 'FAIL', return_msg: 'invalid refund_fee' })
    assert.deepEqual(await refund(h, 'R1', '100' as unknown as number), { return_code: 'FAIL', return_msg: 'refund_fee参数格式错误' })
    assert.deepEqual(await refund(h, '', 100), { return_code: 'FAIL', return_msg: '缺少参数' })
    assert.deepEqual(await refund(h, 'R1', 100, { function_name: undefined }), { return_code: 'FAIL', return_msg: '缺少参数' })
    assert.deepEqual(await refund(h, 'R1', 100, { out_trade_no: undefined }), { return_code: 'FAIL', return_msg: '缺少参数' })
  })

  it('refuses refunds of unpaid or unknown trades with ORDERNOTEXIST', async () => {
    const h = harness()
    assert.equal((await refund(h, 'R1', 100)).err_code, 'ORDERNOTEXIST')
    await h.sim.cloudPayApi('unifiedOrder', unifiedOrderData({ total_fee: 1000 }), ALICE_TOKEN)
    assert.equal((await refund(h, 'R1', 100)).err_code, 'ORDERNOTEXIST')
  })

  it('allows at most 50 refunds per trade', async () => {
    const h = await paidTrade({}, 1000)
    for (let i = 1; i <= 50; i++) assert.equal((await refund(h, `R${i}`, 1)).result_code, 'SUCCESS', `refund ${i}`)
    const fiftyFirst = await refund(h, 'R51', 1)
    assert.equal(fiftyFirst.result_code, 'FAIL')
    assert.equal(fiftyFirst.err_code, 'INVALID_REQUEST')
  })

  it('reports PROCESSING, then SUCCESS, and delivers the refund callback to function_name', async () => {
    const h = await paidTrade({ timeScale: 0.01 })
    const accepted = await refund(h, 'R1', 250)
    assert.equal((await queryRefund(h, { out_refund_no: 'R1' })).refund_status_0, 'PROCESSING')
    assert.equal(h.invoker.calls.length, 1, 'only the payment callback so far')
    await h.clock.advance(50)
    const settled = await queryRefund(h, { refund_id: accepted.refund_id })
    assert.equal(settled.refund_status_0, 'SUCCESS')
    assert.match(String(settled.refund_success_time_0), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    const call = h.invoker.calls[1]
    assert.equal(call?.functionName, 'refundNotify')
    const event = call?.event ?? {}
    assert.equal(event.outRefundNo, 'R1')
    assert.equal(event.refundStatus, 'SUCCESS')
    assert.equal(event.outTradeNo, TRADE)
    assert.equal(event.refundFee, 250)
    assert.equal(event.totalFee, 1000)
    assert.equal(event.refundId, accepted.refund_id)
    assert.equal(event.transactionId, accepted.transaction_id)
    assert.equal(event.subMchId, SUB_MCH_ID)
    assert.equal(event.returnCode, 'SUCCESS')
    assert.equal(event.resultCode, 'SUCCESS')
    const kinds = (await h.sim.listNotifications({ outTradeNo: TRADE })).map((n) => `${n.kind}:${n.status}`)
    assert.deepEqual(kinds, ['payment:ACKNOWLEDGED', 'refund:ACKNOWLEDGED'])
  })

  it('answers REFUNDNOTEXIST for a refund that was never requested', async () => {
    const h = await paidTrade()
    assert.equal((await queryRefund(h, { out_refund_no: 'nope' })).err_code, 'REFUNDNOTEXIST')
    assert.equal((await queryRefund(h, { out_trade_no: TRADE })).err_code, 'REFUNDNOTEXIST')
    assert.deepEqual(await queryRefund(h, {}), { return_code: 'FAIL', return_msg: '缺少参数' })
  })
})
