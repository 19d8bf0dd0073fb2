// Progressive enhancement only: every form works without this file. With it, Like/Unlike
// happen in place (no page reload), using the same endpoints with Accept: application/json.
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
