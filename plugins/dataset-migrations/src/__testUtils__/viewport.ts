/**
 * Sets what `useMediaQuery` sees (jsdom has no `matchMedia` of its own): every media
 * query matches, as on a phone, or none does, as on a desktop. Returns the undo.
 */
export function viewportMatches(matches: boolean): () => void {
  const original = window.matchMedia;
  window.matchMedia = ((media: string) => ({
    matches,
    media,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  })) as typeof window.matchMedia;
  return () => {
    window.matchMedia = original;
  };
}
