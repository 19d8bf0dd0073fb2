// The implicit-flow callback (O7). In order: read the fragment, wipe it from the address
// bar and history, POST token and state to our own server, then leave for the home page.
// Nothing from the fragment is ever written into the page: messages come from a fixed map.
(function () {
  'use strict';
  var statusEl = document.getElementById('status');
  var MESSAGES = {
    access_denied: 'You chose not to allow this app to use your Thingiverse account. Nothing was changed.',
    missing: 'Thingiverse did not send a login token. Please try logging in again.',
    rejected: 'The login could not be completed. Please try logging in again.',
    network: 'Could not reach this app to finish the login. Please try again.',
  };
  // A failed login says so in the heading too, and offers to try again (the button is in the page).
  function show(key) {
    statusEl.textContent = MESSAGES[key] || MESSAGES.rejected;
    failed(key === 'access_denied' ? 'You did not allow access' : 'The login did not finish');
  }
  function failed(heading) {
    document.querySelector('h1').textContent = heading;
    var retry = document.getElementById('retry');
    if (retry) retry.hidden = false;
  }

  var params = new URLSearchParams(window.location.hash.slice(1));
  history.replaceState(null, '', window.location.pathname);

  if (params.get('error')) return show(params.get('error') === 'access_denied' ? 'access_denied' : 'rejected');
  var token = params.get('access_token');
  if (!token) return show('missing');

  fetch('/auth/token', {
    method: 'POST',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ access_token: token, state: params.get('state') || '' }),
  })
    .then(function (res) {
      // Back to the page the login started from: the server checked it; a local path only.
      if (res.ok) {
        return res.json().then(function (body) {
          var next = body && typeof body.next === 'string' && /^\/(?!\/)/.test(body.next) ? body.next : '/';
          window.location.replace(next);
        }, function () { window.location.replace('/'); });
      }
      return res.json().then(
        function (body) {
          statusEl.textContent = (body && typeof body.message === 'string') ? body.message : MESSAGES.rejected;
          failed('The login did not finish');
        },
        function () { show('rejected'); }
      );
    })
    .catch(function () { show('network'); });
})();
