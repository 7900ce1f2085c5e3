"""Real-browser tests of the rendered HTML (Debian Chromium via Playwright, axe-core)."""
