"""Browser tests: Playwright driving Debian's Chromium against the built article site."""
