// The /brief page's print button, as a file the Content-Security-Policy allows (no inline onclick).
for (const button of document.querySelectorAll("[data-print]")) button.addEventListener("click", () => window.print());
