// The task page: renders the task's Camunda Form with the form-js viewer (prefilled with the instance's
// variables) and posts its data as JSON. The server checks the data against the schema and answers per field;
// its messages (in the user's language) replace form-js's own under the fields.
(function () {
    'use strict';
    const button = document.getElementById('task-complete');
    const host = document.getElementById('task-form');
    const alertBox = document.getElementById('task-form-alert');
    let form = null;

    function showAlert(message, kind) {
        alertBox.className = 'alert alert-' + (kind || 'danger');
        alertBox.textContent = message;
        alertBox.classList.remove('d-none');
    }

    function readJson(id) {
        const node = document.getElementById(id);
        return node ? JSON.parse(node.textContent) : null;
    }

    async function render() {
        if (!host || !window.FormViewer) {
            return;
        }
        const schema = readJson('task-form-schema');
        const data = readJson('task-form-data') || {};
        // No input debounce: form-js otherwise holds typed text for 300 ms, and a select changed within that time
        // re-renders the form from its state and wipes the text.
        form = new window.FormViewer.Form({ container: host, debounce: false });
        await form.importSchema(schema, data);
        if (!button) {
            form.setProperty('readOnly', true);
        }
    }

    function showFieldErrors(errors) {
        if (!form) {
            return;
        }
        const byId = {};
        for (const e of errors) {
            (byId[e.fieldId] = byId[e.fieldId] || []).push(e.message);
        }
        // form-js keeps its errors by component id and shows them under each field.
        form._setState({ errors: byId });
        const first = host.querySelector('.fjs-has-errors input, .fjs-has-errors textarea, .fjs-has-errors select, .fjs-has-errors');
        if (first && first.focus) {
            first.focus();
        }
    }

    async function submit() {
        let data = {};
        if (form) {
            // Runs form-js's own checks too; the server's answer decides.
            data = form.submit().data;
        }
        const token = document.querySelector('input[name="__RequestVerificationToken"]');
        const label = button.innerHTML;
        button.disabled = true;
        button.textContent = button.dataset.busy;
        try {
            const response = await fetch(button.dataset.url, {
                method: 'POST',
                headers: {
                    'Content-Type': 'application/json',
                    'Accept': 'application/json',
                    'RequestVerificationToken': token ? token.value : ''
                },
                body: JSON.stringify(data)
            });
            const body = await response.json().catch(() => ({}));
            if (response.ok) {
                window.location.assign(body.redirect || '/inbox');
                return;
            }
            if (response.status === 422 && body.errors) {
                showFieldErrors(body.errors);
                showAlert(body.message);
            } else {
                showAlert(body.message || response.statusText, response.status === 409 ? 'warning' : 'danger');
            }
        } catch (e) {
            showAlert(String(e));
        } finally {
            button.disabled = false;
            button.innerHTML = label;
        }
    }

    render().catch(e => showAlert(String(e)));
    if (button) {
        button.addEventListener('click', submit);
    }
})();
