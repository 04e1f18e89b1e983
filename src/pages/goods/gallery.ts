/** Which of `count` equal pages is showing when a row `width` wide is scrolled to `left`. */
export function pageAt(left: number, width: number, count: number): number {
  if (!(width > 0) || count < 1) return 0
  return Math.min(count - 1, Math.max(0, Math.round(left / (width / count))))
}

/** Accessibility props for the scrolling gallery: a named region, focusable on H5 only. */
export function galleryRegion(label: string): object {
  return { role: 'region', 'aria-label': label, ...(process.env.TARO_ENV === 'h5' ? { tabIndex: 0 } : {}) }
}
