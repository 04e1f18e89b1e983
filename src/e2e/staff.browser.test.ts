// The staff console in the H5 build, against a local cloud started here with one staff member
// (ADMIN_OPENIDS). Shoppers order and pay through the functions and the pay simulator; staff then
// work the orders in the browser: find one by the recipient's phone, ship it (uploaded to WeChat's
// emulated shipping service), refund part of another, approve one after-sale request and reject
// another; the shoppers' own pages show each outcome. A shopper opening a staff page sees 无权限.
// Screenshots at 390×844 and 320×568 land in .test-artifacts/screenshots/staff-*.png.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import type { StaffOrderView } from '../../cloud/payment/staffContracts'
import { ROOT, startTestCloud, type TestCloud } from '../../cloud/local/testing/harness'
import { call, cloudPayEnv, data } from '../../cloud/local/testing/shop'
import { launchBrowser, lookAtPhones, newLocalId, pageAs, screenshot, until } from './browser'

const STAFF = newLocalId()

let cloud: TestCloud
let browser: Browser

before(async () => {
  assert.ok(existsSync(path.join(ROOT, 'dist', 'h5', 'index.html')), 'build the H5 app first: npm run build:h5 (npm test does)')
  cloud = await startTestCloud({ functionEnv: { ...cloudPayEnv(), ADMIN_OPENIDS: STAFF } })
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await cloud?.stop()
})

/** A function's data as `openid`, asserted to be an answer, not an error. */
const ok = async <T>(name: string, event: unknown, openid: string): Promise<T> => data(await call<T>(cloud, name, event, openid))

const stored = (outTradeNo: string) => cloud.engine.getById('orders', outTradeNo)?.doc

/** A paid order of `shopper`'s for one goods, delivered to `mobile`. */
async function paidOrder(shopper: string, mobile: string, goodsId = 'goods-coffee'): Promise<string> {
  const address = { recipient: '林小雨', mobile, province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 478 号 2 幢 301' }
  const { outTradeNo } = await ok<{ outTradeNo: string }>('createOrder', { items: [{ goodsId, quantity: 1 }], address, note: '放门口快递柜' }, shopper)
  const res = await fetch(`${cloud.url}/sim/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outTradeNo, result: 'SUCCESS' }),
  })
  assert.equal(res.status, 200, `sim/pay: ${await res.text()}`)
  await until(`${outTradeNo} paid`, () => stored(outTradeNo)?.['status'] === 'SUCCESS')
  return outTradeNo
}

async function confirmModal(page: Page, confirmText: string): Promise<void> {
  const button = page.locator('.taro-model__confirm').filter({ hasText: confirmText })
  await button.waitFor()
  await button.click()
}

/** Axe, tap targets and screenshots (staff-<name>-<w>x<h>.png) at both phone sizes. */
const look = (page: Page, name: string): Promise<void> => lookAtPhones(page, `staff ${name}`, `staff-${name}`)

async function openStaffOrder(page: Page, outTradeNo: string): Promise<void> {
  await page.goto(`${cloud.url}/#/pages/staff/order/index?no=${outTradeNo}`)
  await page.getByText(`订单号：${outTradeNo}`).waitFor()
}

async function openShopperOrder(page: Page, outTradeNo: string): Promise<void> {
  await page.goto(`${cloud.url}/#/pages/order/index?outTradeNo=${outTradeNo}`)
  await page.getByText(`订单号：${outTradeNo}`).waitFor()
}

const form = (page: Page) => page.locator('.staff-form')
const chip = (page: Page, text: string) => form(page).locator('.staff-chip').filter({ hasText: text })
const field = (page: Page, label: string) => form(page).locator(`input[aria-label="${label}"]`)

test('staff find a paid order by phone and ship it; the shopper sees it shipped and WeChat has the shipment', async () => {
  const shopper = newLocalId()
  const mobile = `137${String(Date.now()).slice(-8)}`
  const other = await paidOrder(shopper, '13900000000', 'goods-mug')
  const mine = await paidOrder(shopper, mobile)
  const trackingNo = `SF${String(Date.now()).slice(-13)}`

  const { page, problems } = await pageAs(browser, STAFF)
  try {
    await page.goto(`${cloud.url}/#/pages/staff/orders/index`)
    await page.locator('.staff-row').nth(1).waitFor()
    assert.ok((await page.locator(`.staff-row[data-no="${other}"]`).count()) === 1, 'the unfiltered list has every order')
    await page.locator('.staff-totals').getByText('2 笔').waitFor()
    await look(page, '1-orders')

    // A date range from the picker (it opens on today) to today keeps today's orders; 清除 drops it.
    for (const which of ['开始日期', '结束日期']) {
      await page.locator('.staff-date').filter({ hasText: which }).click()
      await page.locator('.weui-picker__action:visible').filter({ hasText: '确定' }).click()
      await page
        .locator('.staff-date--set')
        .filter({ hasText: /^\d{4}-\d\d-\d\d$/ })
        .first()
        .waitFor()
    }
    assert.equal(await page.locator('.staff-date--set').count(), 2)
    // The pickers' sheets slide away before the page is looked at (their own colours are Taro's).
    for (const sheet of await page.locator('.weui-picker').all()) await sheet.waitFor({ state: 'hidden' })
    await page.locator('.staff-totals').getByText('2 笔').waitFor()
    assert.equal(await page.locator('.staff-row').count(), 2)
    await look(page, '1b-orders-dates')
    await page.getByRole('button', { name: '清除日期' }).click()
    await page.locator('.staff-date--set').first().waitFor({ state: 'detached' })

    // By the recipient's phone: that order alone, with its totals.
    await page.locator('.staff-search input').fill(mobile)
    await page.locator('.staff-search').getByText('搜索').click()
    await page.locator('.staff-totals').getByText('1 笔').waitFor()
    const rows = page.locator('.staff-row')
    assert.equal(await rows.count(), 1)
    assert.equal(await rows.first().getAttribute('data-no'), mine)
    assert.match(await rows.first().innerText(), new RegExp(`林小雨 ${mobile}[\\s\\S]*¥68\\.00`))
    assert.equal(await rows.first().locator('.status-badge').first().innerText(), '待发货')

    // A search that is neither an order number nor a phone: the server's words, a way back.
    await page.locator('.staff-search input').fill('12345')
    await page.locator('.staff-search').getByText('搜索').click()
    await page.getByText('请输入完整的订单号或 11 位手机号码').waitFor()
    await page.locator('.state').getByText('清除搜索').waitFor()
    await page.locator('.staff-search input').fill(mobile)
    await page.locator('.staff-search').getByText('搜索').click()
    await page.locator(`.staff-row[data-no="${mine}"]`).click()
    await page.getByText(`订单号：${mine}`).waitFor()
    await page.getByText(mobile, { exact: true }).waitFor() // staff see the number unmasked
    await page.getByText('买家备注：放门口快递柜').waitFor()
    await look(page, '2-order-to-ship')

    // Ship: a carrier is required, then a valid tracking number, then a confirmation.
    await page.locator('.staff-bar').getByText('发货').click()
    await form(page).getByText('确认发货').click()
    await form(page).getByText('请选择快递公司或无需物流的方式').waitFor()
    await chip(page, '顺丰速运').click()
    await field(page, '快递单号').fill('SF 1')
    await form(page).getByText('确认发货').click()
    await form(page).getByText('快递单号为 4–40 位字母、数字或 -').waitFor()
    await look(page, '3-ship-form')
    await field(page, '快递单号').fill(trackingNo)
    await form(page).getByText('确认发货').click()
    await page.locator('.taro-modal__text').getByText(`顺丰速运 ${trackingNo}`).waitFor()
    await confirmModal(page, '确认发货')
    const shipping = page.locator('.staff-shipping')
    await shipping.getByText(trackingNo).waitFor()
    await shipping.getByText('已同步微信').waitFor()
    await shipping.getByText('发货信息已同步到微信').waitFor()
    await page.locator('.staff-head .status-badge').getByText('已发货').waitFor()
    await page.locator('.staff-event').filter({ hasText: '操作 · 发货 · 成功' }).waitFor()
    assert.equal(await page.locator('.staff-bar').getByText('发货').count(), 0, 'shipped once: no 发货 any more')
    await look(page, '4-order-shipped')

    // The upload WeChat's (emulated) shipping service recorded: one, with the tracking number.
    const transactionId = String(stored(mine)?.['transactionId'])
    const record = await cloud.openapi.shipping.find({ transactionId })
    assert.ok(record, 'the shipment reached the shipping service')
    assert.equal(record.uploads.length, 1)
    assert.deepEqual(
      record.uploads[0]?.shippingList.map((item) => [item.trackingNo, item.expressCompany]),
      [[trackingNo, 'SF']],
    )

    // The list row says so too, back on the list.
    await page.goBack()
    await page.locator(`.staff-row[data-no="${mine}"] .status-badge`).filter({ hasText: '已发货' }).waitFor()
    assert.deepEqual(problems, [])
  } catch (error) {
    await screenshot(page, 'staff-failure-ship')
    throw error
  }

  // The shopper's order page: 待收货 (their tab's word), 已发货 with the time, the carrier's name and the tracking number.
  const shopperView = await pageAs(browser, shopper)
  await openShopperOrder(shopperView.page, mine)
  const header = shopperView.page.locator('.order__status')
  await header.getByText('待收货').waitFor()
  await header.getByText(trackingNo, { exact: false }).waitFor()
  await header.getByText(/^已发货 \d{4}-/).waitFor()
  await header.getByText(`顺丰速运 ${trackingNo}`).waitFor()
})

test('a partial refund typed in yuan refunds that many fen, once even when its answer is lost and staff retry; the shopper sees it', async () => {
  const shopper = newLocalId()
  const order = await paidOrder(shopper, '13900000001')
  const { page, problems } = await pageAs(browser, STAFF)
  try {
    await openStaffOrder(page, order)
    await page.locator('.staff-bar').getByText('退款').click()
    await chip(page, '部分退款').click()
    await field(page, '金额（元）').fill('12.345')
    await form(page).locator('.staff-field__error').getByText('金额格式不正确').waitFor()
    await field(page, '金额（元）').fill('68.01')
    await form(page).locator('.staff-field__error').getByText('超过可退金额 ¥68.00').waitFor()
    await field(page, '金额（元）').fill('12.30')
    await form(page).locator('.action').getByText('退款', { exact: true }).click()
    await form(page).getByText('请填写退款原因').waitFor()
    await look(page, '5-refund-form')
    await field(page, '退款原因').fill('少发一件，协商退部分款')
    // The first refund's answer is lost on the way back (the server did refund): the retry must not refund again.
    const requestIds: string[] = []
    let lose = true
    await page.route('**/api/functions/staff', async (route) => {
      const event = route.request().postDataJSON() as { action?: string; requestId?: string }
      if (event.action !== 'refund') return route.continue()
      requestIds.push(String(event.requestId))
      if (!lose) return route.continue()
      lose = false
      await route.fetch()
      return route.abort('connectionfailed')
    })
    for (let attempt = 0; attempt < 2; attempt++) {
      await form(page).locator('.action').getByText('退款', { exact: true }).click()
      await page
        .locator('.taro-modal__text')
        .getByText(/退款 ¥12\.30 给买家/)
        .waitFor()
      await confirmModal(page, '确认退款')
      if (attempt === 0) await form(page).locator('.staff-form__refusal').getByText('网络不给力，请稍后重试（可放心重试，不会重复操作）').waitFor()
    }
    await form(page).waitFor({ state: 'detached' })
    assert.equal(requestIds.length, 2)
    assert.equal(requestIds[0], requestIds[1], 'the retry is the same request')
    await page.unroute('**/api/functions/staff')
    await page.locator('.staff-entry').filter({ hasText: '少发一件，协商退部分款' }).getByText('¥12.30').waitFor()
    await until('the refund settled', () => stored(order)?.['refundedFee'] === 1230)
    await page.reload()
    await page.locator('.staff-line').filter({ hasText: '可退金额' }).getByText('¥55.70').waitFor()
    await look(page, '6-order-refunded-part')
    // Exactly one refund of 1230 fen was asked of the pay service.
    const refunds = Object.values((stored(order)?.['refunds'] ?? {}) as Record<string, { refundFee: number }>)
    assert.deepEqual(
      refunds.map((r) => r.refundFee),
      [1230],
    )
    assert.deepEqual(problems, [])
  } catch (error) {
    await screenshot(page, 'staff-failure-refund')
    throw error
  }
  const shopperView = await pageAs(browser, shopper)
  await openShopperOrder(shopperView.page, order)
  await shopperView.page.locator('.order__card').filter({ hasText: '退款记录' }).getByText('¥12.30').waitFor()
})

test('staff approve one after-sale request (refunded) and reject another with a reply the shopper reads', async () => {
  const shopper = newLocalId()
  const toApprove = await paidOrder(shopper, '13900000002', 'goods-tote')
  const toReject = await paidOrder(shopper, '13900000003', 'goods-mug')
  for (const [i, order] of [toApprove, toReject].entries()) {
    await ok<StaffOrderView>(
      'staff',
      { action: 'ship', outTradeNo: order, requestId: `setup-ship-${i}-${order.slice(-8)}`, carrier: 'ZTO', trackingNo: `ZT${order.slice(-10)}` },
      STAFF,
    )
    await ok(
      'orderAction',
      { action: 'afterSale', outTradeNo: order, reason: i === 0 ? '杯子有裂纹' : '不想要了', requestId: `setup-as-${i}-${order.slice(-8)}` },
      shopper,
    )
  }

  const { page, problems } = await pageAs(browser, STAFF)
  try {
    // The list marks orders with a request waiting.
    await page.goto(`${cloud.url}/#/pages/staff/orders/index`)
    await page.locator(`.staff-row[data-no="${toApprove}"]`).getByText('售后待处理').waitFor()

    await openStaffOrder(page, toApprove)
    const request = page.locator('.staff-entry').filter({ hasText: '杯子有裂纹' })
    await request.getByText('待处理').waitFor()
    await look(page, '7-after-sale-pending')
    await request.getByText('同意并退款').click()
    await form(page)
      .getByText(/^全额 ¥/)
      .waitFor()
    await field(page, '回复买家（选填）').fill('已为您全额退款')
    await look(page, '8-after-sale-approve-form')
    await form(page).locator('.action').getByText('同意并退款').click()
    await confirmModal(page, '同意退款')
    await request.getByText('已同意').waitFor()
    await until('the after-sale refund settled', () => stored(toApprove)?.['refundedFee'] === stored(toApprove)?.['totalFee'])

    await openStaffOrder(page, toReject)
    const other = page.locator('.staff-entry').filter({ hasText: '不想要了' })
    await other.getByText('拒绝', { exact: true }).click()
    assert.equal(await other.locator('.action').count(), 0, 'the request being decided has its form, not its buttons')
    await form(page).locator('.action').getByText('拒绝申请').click()
    await form(page).getByText('请填写拒绝原因').waitFor()
    await field(page, '拒绝原因（买家可见）').fill('商品已使用，不支持无理由退货')
    await look(page, '9-after-sale-reject-form')
    await form(page).locator('.action').getByText('拒绝申请').click()
    await other.getByText('已拒绝').waitFor()
    await other.getByText('回复买家：商品已使用，不支持无理由退货').waitFor()
    assert.equal(stored(toReject)?.['refundedFee'], 0, 'a rejection refunds nothing')
    await look(page, '10-after-sale-rejected')
    assert.deepEqual(problems, [])
  } catch (error) {
    await screenshot(page, 'staff-failure-after-sale')
    throw error
  }

  const shopperView = await pageAs(browser, shopper)
  await openShopperOrder(shopperView.page, toReject)
  await shopperView.page.locator('.after-sale__state').getByText('已拒绝').waitFor()
  await shopperView.page.getByText('商家回复：商品已使用，不支持无理由退货').waitFor()
  await openShopperOrder(shopperView.page, toApprove)
  await shopperView.page.locator('.after-sale__reply').getByText('商家回复：已为您全额退款').waitFor()
})

test('an upload WeChat did not take shows its state: retried when temporary, the reason when refused for good', async () => {
  const shopper = newLocalId()
  const order = await paidOrder(shopper, '13900000005')
  // WeChat answers the upload with a system error once: shipped, the upload left for the reconcile timer.
  cloud.openapi.faults.add({ fault: 'systemerror', times: 1 })
  await ok<StaffOrderView>(
    'staff',
    { action: 'ship', outTradeNo: order, requestId: `fault-ship-${order.slice(-8)}`, carrier: 'YTO', trackingNo: `YT${order.slice(-10)}` },
    STAFF,
  )
  const { page, problems } = await pageAs(browser, STAFF)
  try {
    await openStaffOrder(page, order)
    const upload = page.locator('.staff-upload')
    await upload.getByText('待同步微信').waitFor()
    await upload.getByText('发货信息暂未同步到微信，系统将自动重试').waitFor()
    await upload.getByText(/^原因：.*system error/).waitFor()
    await look(page, '12-upload-pending')

    // A permanent refusal, as the upload use case stores one (written here: the emulator refuses nothing a valid shipment sends).
    const lastError = 'invalid_express_company (10060001): 物流公司编码有误'
    await cloud.engine.update('orders', { _id: order }, { $set: { shippingUpload: { state: 'FAILED', attempts: 1, lastError } } }, false).written
    await page.reload()
    await upload.getByText('同步微信失败').waitFor()
    await upload.getByText('发货信息同步到微信失败，请在微信后台录入发货信息').waitFor()
    await upload.getByText(`原因：${lastError}`).waitFor()
    await look(page, '13-upload-failed')
    assert.deepEqual(problems, [])
  } catch (error) {
    await screenshot(page, 'staff-failure-upload')
    throw error
  }
})

test('staff find 商家后台 under My orders, and it opens the console', async () => {
  const { page, problems } = await pageAs(browser, STAFF)
  try {
    await page.goto(`${cloud.url}/#/pages/orders/index`)
    await page.getByRole('link', { name: '商家后台' }).click()
    await page.waitForURL(/pages\/staff\/orders\/index/)
    await page.locator('.staff-totals').waitFor()
    assert.deepEqual(problems, [])
  } catch (error) {
    await screenshot(page, 'staff-failure-entry')
    throw error
  }
})

test('a shopper opening a staff page sees 无权限 and nothing of the console', async () => {
  const shopper = newLocalId()
  const order = await paidOrder(shopper, '13900000004')
  const { page, problems } = await pageAs(browser, shopper)
  try {
    await page.goto(`${cloud.url}/#/pages/staff/orders/index`)
    await page.getByText('无权限', { exact: true }).waitFor()
    assert.equal(await page.locator('.staff-search, .staff-filter, .staff-row, .staff-totals').count(), 0, 'no console for a shopper')
    await look(page, '11-forbidden')

    await page.goto(`${cloud.url}/#/pages/staff/order/index?no=${order}`)
    await page.getByText('无权限', { exact: true }).waitFor()
    assert.equal(await page.getByText('13900000004').count(), 0, 'no order detail for a shopper')
    assert.equal(await page.locator('.staff-bar, .staff-card').count(), 0)

    await page.getByText('返回商城').click()
    await page.waitForURL(/pages\/index\/index/)
    // My orders has no way into the console for a shopper.
    await page.goto(`${cloud.url}/#/pages/orders/index`)
    await page.locator('.orders-tabs__tab').first().waitFor()
    await page.locator('.order-row').first().waitFor()
    await page.waitForLoadState('networkidle') // the staff probe has answered
    assert.equal(await page.getByText('商家后台').count(), 0, 'no console entry for a shopper')
    assert.deepEqual(problems, [])
  } catch (error) {
    await screenshot(page, 'staff-failure-forbidden')
    throw error
  }
})
