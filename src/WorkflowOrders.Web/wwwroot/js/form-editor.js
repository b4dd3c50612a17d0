// The task-form editor (@bpmn-io/form-js FormEditor, UMD build): opens the draft or deployed schema; "Save draft" and
// "Deploy form now" post the edited schema with the page's antiforgery token (the server checks it again).
(function () {
    'use strict';
    const host = document.getElementById('form-editor');
    const data = document.getElementById('form-editor-data');
    if (!host || !data || !window.FormEditor) {
        return;
    }
    let schema;
    try {
        schema = JSON.parse(JSON.parse(data.textContent).schema || '{}');
    } catch (e) {
        host.textContent = String(e.message || e);
        return;
    }
    const editor = new window.FormEditor.FormEditor({ container: host });
    editor.importSchema(schema).then(() => {
        host.dataset.ready = 'true';
    }).catch(e => {
        host.textContent = String(e.message || e);
    });
    // Runs before site.js's confirmation (capture phase), so a refused confirmation posts nothing either way.
    document.querySelectorAll('form[data-form-editor-submit]').forEach(form => {
        form.addEventListener('submit', () => {
            form.querySelector('input[name=schema]').value = JSON.stringify(editor.saveSchema(), null, 2);
        }, true);
    });
})();
