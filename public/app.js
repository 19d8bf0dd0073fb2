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
    // aria-disabled, not disabled: a disabled button loses focus, and focus must stay on it.
    if (button.getAttribute('aria-disabled') === 'true') return;
    var box = form.closest('article');
    var name = form.elements.name.value;
    button.setAttribute('aria-disabled', 'true');
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      body: new URLSearchParams(new FormData(form)),
    })
      .then(function (res) {
        return res.json().then(function (body) { return { ok: res.ok, body: body }; }, function () { return { ok: false, body: null }; });
      })
      .then(function (r) {
        if (!r.ok) throw new Error(r.body && r.body.message ? r.body.message : 'That did not work. Please reload the page.');
        update(form, button, box, r.body.liked);
        // `message`: the change reached Thingiverse but this app could not note it (rare).
        say(box, form, 'ok', (r.body.liked ? 'Liked “' : 'Removed your like from “') + name + '”.' + (r.body.message ? ' ' + r.body.message : ''));
      })
      .catch(function (err) {
        say(box, form, 'error', err.message || 'That did not work. Please reload the page.');
      })
      .finally(function () { button.removeAttribute('aria-disabled'); });
  });

  function update(form, button, box, liked) {
    var id = box.id.replace('thing-', '');
    var wasLiked = button.classList.contains('unlike');
    form.action = '/things/' + id + (liked ? '/unlike' : '/like');
    button.className = liked ? 'unlike' : 'like';
    button.firstChild.textContent = liked ? 'Unlike' : 'Like';
    var count = box.querySelector('[data-like-count]');
    if (count && wasLiked !== liked) {
      var n = Math.max(0, Number(count.textContent.replace(/[^0-9]/g, '')) + (liked ? 1 : -1));
      count.textContent = n.toLocaleString('en');
      var unit = count.nextSibling;
      if (unit && unit.nodeType === 3 && /likes?/.test(unit.textContent)) unit.textContent = n === 1 ? ' like' : ' likes';
    }
  }

  // The result, where the button is (seen) and in the page's live region (heard): a
  // status for success, an alert for a failure, styled as what it is.
  function say(box, form, kind, text) {
    var note = box.querySelector('[data-like-result]');
    if (!note) {
      note = document.createElement('p');
      note.setAttribute('data-like-result', '');
      form.parentNode.insertBefore(note, form.nextSibling);
    }
    // The visible note is not itself live (the region below speaks), so nothing is read twice.
    note.removeAttribute('role');
    note.className = 'flash ' + kind;
    note.textContent = text;
    var live = document.getElementById(kind === 'error' ? 'live-alert' : 'live-status');
    var other = document.getElementById(kind === 'error' ? 'live-status' : 'live-alert');
    if (other) other.textContent = '';
    if (live) {
      live.textContent = '';
      // A fresh text node a moment later, so the same message twice is announced twice.
      setTimeout(function () { live.textContent = text; }, 50);
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
    var disclosure = bulkForm.closest('details');
    document.addEventListener('change', function (e) {
      if (e.target.form !== bulkForm) return;
      // Ticking a card's Select box is using the bulk controls: unfold them.
      if (e.target.checked && disclosure) disclosure.open = true;
      refresh();
    });
    bulkForm.addEventListener('submit', function (e) {
      if (Array.prototype.some.call(boxes(), function (b) { return b.checked; })) return;
      e.preventDefault();
      count.textContent = 'Select at least one thing first.';
    });
    refresh();
  }

  // Bulk job status page: poll the JSON instead of reloading; reload once at the end so the
  // server renders the final summary (the <noscript> refresh covers browsers without JS).
  // The answer is small whatever the job's size: counts and the latest things changed.
  var job = document.querySelector('[data-bulk-job]');
  if (job && job.getAttribute('data-bulk-state') === 'running' && window.fetch) {
    var changedBox = document.querySelector('[data-bulk-changed-box]');
    var showChanged = function (v) {
      var list = changedBox.querySelector('[data-bulk-changed]');
      changedBox.querySelector('[data-bulk-done]').textContent = v.counts.done;
      var note = changedBox.querySelector('[data-bulk-changed-note]');
      note.hidden = v.counts.done <= v.changed.length;
      note.textContent = 'The latest ' + v.changed.length + ', newest first.';
      changedBox.hidden = v.changed.length === 0;
      var key = v.changed.join(',');
      if (list.getAttribute('data-ids') === key) return;
      list.setAttribute('data-ids', key);
      list.textContent = '';
      v.changed.forEach(function (id) {
        var item = document.createElement('li');
        var link = document.createElement('a');
        link.href = '/things/' + id;
        link.textContent = 'Thing ' + id;
        item.appendChild(link);
        list.appendChild(item);
      });
    };
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
          var eta = job.querySelector('[data-bulk-eta-text]');
          if (eta && v.eta) eta.textContent = v.eta;
          document.title = v.handled + ' of ' + v.total + ' · ' + job.getAttribute('data-bulk-verb') + ' · thingiverse-likes';
          wait.hidden = v.waitSeconds === null;
          wait.querySelector('[data-bulk-wait-seconds]').textContent = v.waitSeconds || 0;
          if (changedBox) showChanged(v);
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 500);
  }
})();
