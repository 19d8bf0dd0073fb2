// Progressive enhancement only: every form works without this file. With it, Like/Unlike
// happen in place (no page reload), using the same endpoints with Accept: application/json;
// the bulk bar gets a "select all" box; a bulk job's status page updates in place.
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-like-form') || !window.fetch) return;
    event.preventDefault();
    var button = form.querySelector('button');
    var card = form.closest('article');
    var liveRegion = document.getElementById('live') || makeLiveRegion();
    button.disabled = true;
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      body: new URLSearchParams(new FormData(form)),
    })
      .then(function (res) {
        return res.json().then(function (body) { return { ok: res.ok, body: body }; });
      })
      .then(function (r) {
        if (!r.ok) throw new Error(r.body && r.body.message ? r.body.message : 'That did not work.');
        update(form, button, card, r.body.liked);
        liveRegion.textContent = (r.body.liked ? 'Liked ' : 'Unliked ') + form.elements.name.value;
      })
      .catch(function (err) {
        liveRegion.textContent = err.message || 'That did not work. Please reload the page.';
      })
      .finally(function () { button.disabled = false; });
  });

  function update(form, button, card, liked) {
    var id = card.id.replace('thing-', '');
    var wasLiked = button.classList.contains('unlike');
    form.action = '/things/' + id + (liked ? '/unlike' : '/like');
    button.className = liked ? 'unlike' : 'like';
    button.firstChild.textContent = liked ? 'Unlike' : 'Like';
    var count = card.querySelector('[data-like-count]');
    if (count && wasLiked !== liked) {
      var n = Number(count.textContent.replace(/[^0-9]/g, '')) + (liked ? 1 : -1);
      count.textContent = Math.max(0, n).toLocaleString('en');
    }
  }

  // Bulk bar: "Select all on this page" and a count of what is selected.
  var bulkForm = document.querySelector('[data-bulk-form]');
  if (bulkForm) {
    var boxes = function () { return document.querySelectorAll('input[name="ids"][form="bulk-form"]'); };
    var label = document.createElement('label');
    label.className = 'pick-all';
    label.innerHTML = '<input type="checkbox"> Select all on this page';
    var all = label.firstChild;
    var count = document.createElement('span');
    count.className = 'help';
    count.setAttribute('aria-live', 'polite');
    bulkForm.insertBefore(label, bulkForm.querySelector('.help'));
    bulkForm.appendChild(count);
    var refresh = function () {
      var n = Array.prototype.filter.call(boxes(), function (b) { return b.checked; }).length;
      count.textContent = n + ' selected';
      all.checked = n > 0 && n === boxes().length;
    };
    all.addEventListener('change', function () {
      Array.prototype.forEach.call(boxes(), function (b) { b.checked = all.checked; });
      refresh();
    });
    document.addEventListener('change', function (e) { if (e.target.form === bulkForm) refresh(); });
    bulkForm.addEventListener('submit', function (e) {
      if (Array.prototype.some.call(boxes(), function (b) { return b.checked; })) return;
      e.preventDefault();
      count.textContent = 'Select at least one thing first.';
    });
    refresh();
  }

  // Bulk job status page: poll the JSON instead of reloading; reload once at the end so the
  // server renders the final summary (the <noscript> refresh covers browsers without JS).
  var job = document.querySelector('[data-bulk-job]');
  if (job && job.getAttribute('data-bulk-state') === 'running' && window.fetch) {
    var bar = job.querySelector('progress');
    var summary = job.querySelector('[data-bulk-summary]');
    var wait = job.querySelector('[data-bulk-wait]');
    var poll = function () {
      fetch(job.getAttribute('data-bulk-job'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.json(); })
        .then(function (v) {
          if (v.state !== 'running') return window.location.reload();
          bar.max = v.total;
          bar.value = v.handled;
          bar.textContent = v.handled + ' of ' + v.total;
          if (summary.textContent !== v.summary) summary.textContent = v.summary;
          wait.hidden = v.waitSeconds === null;
          wait.querySelector('[data-bulk-wait-seconds]').textContent = v.waitSeconds || 0;
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 500);
  }

  function makeLiveRegion() {
    var el = document.createElement('p');
    el.id = 'live';
    el.className = 'flash ok';
    el.setAttribute('role', 'status');
    var main = document.getElementById('main');
    main.insertBefore(el, main.firstChild);
    return el;
  }
})();
