// tdkt's only script, served from /static/app.js so that the Content
// Security Policy can forbid inline script. Every page works without it;
// it only adds conveniences, each keyed on an element the page carries.
(function () {
  'use strict';

  // Phone navigation: the stylesheet folds the menu only once this script
  // runs (class «js»), so that without script every link stays visible.
  document.documentElement.classList.add('js');
  var toggle = document.querySelector('.menu-toggle');
  if (toggle) {
    toggle.addEventListener('click', function () {
      var top = document.getElementById('top');
      var open = top.classList.toggle('open');
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    });
  }

  // A confirmation after a save («?luu=…») is said once: drop the flag from
  // the address so that a reload or a bookmark does not repeat it.
  if (/[?&]luu=/.test(location.search) && history.replaceState) {
    var q = location.search.replace(/([?&])luu=[^&]*&?/, '$1').replace(/[?&]$/, '');
    history.replaceState(null, '', location.pathname + q + location.hash);
  }

  // A refused form: mark the field the message names and put the cursor in it.
  var alert = document.querySelector('.alert[data-field]');
  if (alert) {
    var bad = document.querySelector('main [name="' + alert.dataset.field + '"]');
    if (bad) { bad.setAttribute('aria-invalid', 'true'); bad.focus(); }
  }

  // «Quay lại» links on error pages: go back instead of home.
  document.querySelectorAll('a[data-back]').forEach(function (a) {
    a.addEventListener('click', function (e) {
      if (history.length > 1) {
        e.preventDefault();
        history.back();
      }
    });
  });

  // Award import in progress: poll the progress endpoint and reload once
  // the import has ended, so that the server renders the result.
  var c = document.getElementById('import-progress');
  if (c && c.dataset.state === 'running' && c.dataset.poll) {
    var bar = document.getElementById('bar');
    var txt = document.getElementById('progress-text');
    var tick = function () {
      fetch(c.dataset.poll, { credentials: 'same-origin' })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (s.total) { bar.max = s.total; bar.value = Math.min(s.done, s.total); }
          txt.textContent = s.text;
          if (s.state !== 'running') { location.reload(); return; }
          setTimeout(tick, 500);
        })
        .catch(function () { setTimeout(tick, 2000); });
    };
    setTimeout(tick, 300);
  }

  // Rubric form: read the chosen XLSX into the hidden field, so the form
  // stays a plain urlencoded post.
  var xlsx = document.getElementById('xlsx-file');
  if (xlsx) {
    xlsx.addEventListener('change', function (e) {
      var f = e.target.files[0];
      if (!f) return;
      var r = new FileReader();
      r.onload = function () {
        document.getElementById('xlsx-b64').value = String(r.result).split(',')[1] || '';
      };
      r.readAsDataURL(f);
    });
  }
})();

// Pickers: a filter box above a long list of units or cluster-years hides
// the choices whose name does not contain what is typed, without regard
// to diacritics («dong thap» finds «Đồng Tháp»). The chosen option stays.
(function () {
  'use strict';
  var fold = function (s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  };
  document.querySelectorAll('input.pick-filter[data-filter]').forEach(function (box) {
    var list = document.getElementById(box.dataset.filter);
    if (!list) return;
    box.addEventListener('input', function () {
      var q = fold(box.value.trim());
      var items = list.tagName === 'SELECT' ? list.querySelectorAll('option') : list.querySelectorAll('label');
      items.forEach(function (it) {
        var keep = !q || it.value === '' || it.selected || fold(it.textContent).indexOf(q) >= 0;
        if (it.querySelector) {
          var cb = it.querySelector('input');
          if (cb && cb.checked) keep = true;
        }
        it.hidden = !keep;
      });
    });
  });
})();
