// casebook serve's live reload: listens to the server's event stream, reloads the page after a
// change, and shows (or clears) the error overlay while the last change is broken. Added to
// pages by the server only, never by `casebook build`.
(() => {
  const heading = document.currentScript.dataset.overlayHeading;
  const show = (message) => {
    let box = document.getElementById("casebook-error-overlay");
    if (!message) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "casebook-error-overlay";
      box.setAttribute("role", "alert");
      box.append(document.createElement("strong"), document.createElement("pre"));
      box.querySelector("strong").textContent = heading;
      document.body.appendChild(box);
    }
    box.querySelector("pre").textContent = message;
  };
  // The browser reconnects a stream that drops; one the server refused (too many open pages,
  // or the server restarting) is closed for good, so try again a little later.
  const listen = () => {
    const events = new EventSource("/__casebook/events");
    events.addEventListener("reload", () => location.reload());
    events.addEventListener("status", (e) => show(JSON.parse(e.data).error));
    events.addEventListener("error", () => {
      if (events.readyState === EventSource.CLOSED) setTimeout(listen, 3000);
    });
  };
  listen();
})();
