// Progressive enhancement for the import form: shows the file input and reads the chosen
// file into the textarea (the form itself is plain urlencoded and works by pasting).
(function () {
  'use strict';
  var box = document.querySelector('[data-import-file]');
  var text = document.getElementById('import-text');
  var input = document.getElementById('import-file');
  if (!box || !text || !input || !window.FileReader) return;
  box.hidden = false;
  var or = document.querySelector('[data-import-or]');
  if (or) or.hidden = false;
  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () { text.value = String(reader.result); };
    reader.readAsText(file);
  });
})();
