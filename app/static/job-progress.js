// A running job's page: follow its progress without reloading, and reload once it has ended.
// Without JavaScript the page refreshes itself (a meta refresh inside <noscript>) and has a Refresh link.
const box = document.querySelector("[data-progress-url]");
const bar = document.getElementById("job-bar");
const stage = document.getElementById("job-stage");
const count = document.getElementById("job-count");
const number = new Intl.NumberFormat("en-GB");

async function poll() {
  let state;
  try {
    const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    state = await response.json();
  } catch {
    window.setTimeout(poll, 5000);
    return;
  }
  if (state.status !== "queued" && state.status !== "running") {
    window.location.reload();
    return;
  }
  stage.textContent = state.label;
  if (state.total) {
    bar.max = state.total;
    bar.value = state.done;
    bar.textContent = `${state.percent}%`;
    count.textContent = `${number.format(state.done)} of ${number.format(state.total)} (${state.percent}%)`;
  } else {
    bar.removeAttribute("value");
    count.textContent = state.status === "queued" ? "Waiting for a worker to start it." : "Working on it.";
  }
  window.setTimeout(poll, 1500);
}

if (box && bar && stage && count) window.setTimeout(poll, 1000);
