// casebook serve's live reload: listens to the server's event stream, reloads the page after a
// change, and shows (or clears) the error overlay while the last change is broken. Added to
// pages by the server only, never by `casebook build`.
(() => {
  // The overlay lives in a shadow root, made from the template the server adds, so that the
  // theme's styles cannot make it unreadable.
  const template = document.getElementById("casebook-error-overlay-template");
  const show = (message) => {
    let host = document.getElementById("casebook-error-overlay");
    if (!message) {
      if (host) host.remove();
      return;
    }
    if (!host) {
      host = document.createElement("casebook-error-overlay");
      host.id = "casebook-error-overlay";
      host.attachShadow({ mode: "open" }).append(template.content.cloneNode(true));
      document.body.appendChild(host);
    }
    host.shadowRoot.querySelector("pre").textContent = message;
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
