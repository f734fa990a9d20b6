// @ts-check
/**
 * The one place the release tooling (tests/release, `npm start`) gets its embedded vendor mocks from. Each mock is
 * a real Prism process serving a vendor's bundled spec on loopback: `startMock(slug)` → `{url, stop}`.
 */
import { startPrism } from "../prism.mjs";

/** @param {string} slug @returns {Promise<{url: string, stop: () => void}>} */
export const startMock = (slug) => startPrism(slug);
