// Applies the theme the user chose (light or dark) before the first paint, so a page that overrides
// the system theme never flashes. A file of its own because the CSP allows no inline script.
(function () {
  try {
    var theme = window.localStorage.getItem('pigeonhole.theme');
    if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  } catch {
    /* storage blocked: follow the system */
  }
})();
