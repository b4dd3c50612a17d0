// The instance page's diagram: bpmn-js NavigatedViewer (pan and zoom), with the waiting steps, the path taken
// and incidents marked by CSS classes (css/work.css).
(function () {
    'use strict';
    const host = document.getElementById('instance-diagram');
    const data = document.getElementById('instance-marks');
    if (!host || !data || !window.BpmnJS) {
        return;
    }
    const marks = JSON.parse(data.textContent);
    const viewer = new window.BpmnJS({ container: host });
    viewer.importXML(marks.xml).then(() => {
        const canvas = viewer.get('canvas');
        const registry = viewer.get('elementRegistry');
        const mark = (ids, cls) => ids.forEach(id => { if (registry.get(id)) { canvas.addMarker(id, cls); } });
        mark(marks.done, 'wo-done');
        mark(marks.flows, 'wo-done');
        mark(marks.active, 'wo-active');
        mark(marks.incidents, 'wo-incident');
        canvas.zoom('fit-viewport', 'auto');
        host.dataset.ready = 'true';
    }).catch(e => {
        host.textContent = String(e.message || e);
    });
})();
