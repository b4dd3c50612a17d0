// A process version's diagram on the procedures screens: bpmn-js NavigatedViewer (pan and zoom), read-only; the diff
// page marks added and changed elements (classes in css/procedures.css).
(function () {
    'use strict';
    const host = document.getElementById('procedure-diagram');
    const data = document.getElementById('procedure-diagram-data');
    if (!host || !data || !window.BpmnJS) {
        return;
    }
    const model = JSON.parse(data.textContent);
    const viewer = new window.BpmnJS({ container: host });
    viewer.importXML(model.xml).then(() => {
        const canvas = viewer.get('canvas');
        const registry = viewer.get('elementRegistry');
        Object.entries(model.marks || {}).forEach(([cls, ids]) => {
            ids.forEach(id => { if (registry.get(id)) { canvas.addMarker(id, cls); } });
        });
        canvas.zoom('fit-viewport', 'auto');
        host.dataset.ready = 'true';
    }).catch(e => {
        host.textContent = String(e.message || e);
    });
})();
