// Headless Chromium as every browser test starts it: Debian's /usr/bin/chromium (never a
// downloaded browser; CASEBOOK_CHROMIUM overrides the path) with the flags CI needs.
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CASEBOOK_CHROMIUM || "/usr/bin/chromium";

/** Launches headless Chromium with the flags CI uses. */
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
    ],
  });
}
