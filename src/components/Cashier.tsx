/**
 * What the order page draws for the cashier. In the mini program nothing: `wx.requestPayment`
 * opens WeChat's own. The H5 build gets ./Cashier.h5.tsx instead (Taro resolves it per platform).
 */
export function Cashier(): null {
  return null
}
