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

  // Rubric editor: «Thêm mục» adds a blank row, «Xóa» removes one; each
  // row's indent and the groups offered as parents follow what is typed.
  // Without script the page offers blank rows and a cleared row is ignored.
  var items = document.getElementById('rubric-items');
  if (items) {
    var rowsBody = items.tBodies[0];
    var addRow = document.getElementById('add-row');
    var refresh = function () {
      var depth = {};
      var groups = [];
      rowsBody.querySelectorAll('tr.item-row').forEach(function (tr) {
        var code = tr.querySelector('[name=item_code]').value.trim();
        var parent = tr.querySelector('[name=item_parent]').value.trim();
        var d = parent && Object.prototype.hasOwnProperty.call(depth, parent) ? depth[parent] + 1 : 0;
        if (code) depth[code] = d;
        tr.dataset.depth = d;
        tr.querySelector('td.title').style.paddingLeft = (d * 20 + 8) + 'px';
        if (code && tr.querySelector('[name=item_kind]').value === 'group') groups.push(code);
      });
      var list = document.getElementById('rubric-groups');
      list.textContent = '';
      groups.forEach(function (g) {
        var o = document.createElement('option');
        o.value = g;
        list.appendChild(o);
      });
    };
    var clear = function (tr) {
      tr.querySelectorAll('input').forEach(function (i) { i.value = ''; i.removeAttribute('aria-invalid'); });
      tr.querySelectorAll('select').forEach(function (s) { s.selectedIndex = 0; s.removeAttribute('aria-invalid'); });
    };
    addRow.hidden = false;
    rowsBody.querySelectorAll('.remove-row').forEach(function (b) { b.hidden = false; });
    addRow.addEventListener('click', function () {
      var rows = rowsBody.querySelectorAll('tr.item-row');
      var tr = rows[rows.length - 1].cloneNode(true);
      clear(tr);
      rowsBody.appendChild(tr);
      refresh();
      tr.querySelector('[name=item_code]').focus();
    });
    rowsBody.addEventListener('click', function (e) {
      var b = e.target.closest('.remove-row');
      if (!b) return;
      var tr = b.closest('tr');
      if (rowsBody.querySelectorAll('tr.item-row').length > 1) tr.remove(); else clear(tr);
      refresh();
    });
    rowsBody.addEventListener('input', refresh);
    rowsBody.addEventListener('change', refresh);
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
