// Forms marked data-confirm ask before an irreversible action; the message says what will happen.
document.addEventListener("submit", (event) => {
    const message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
        event.preventDefault();
    }
});
