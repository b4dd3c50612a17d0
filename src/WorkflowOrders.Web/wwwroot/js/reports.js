// Draws a bar chart into every .report-chart from its data-chart JSON ({ labels, values }). The tables beside the charts
// carry the same numbers, so the charts are hidden from screen readers and the page works without this script.
(() => {
    if (!window.echarts) {
        return;
    }
    const locale = document.documentElement.lang.toLowerCase().startsWith("zh") ? "ZH" : "EN";
    const charts = [];
    for (const element of document.querySelectorAll(".report-chart")) {
        const data = JSON.parse(element.getAttribute("data-chart"));
        const percent = element.getAttribute("data-kind") === "percent";
        const chart = window.echarts.init(element, null, { locale });
        chart.setOption({
            grid: { left: 48, right: 16, top: 24, bottom: 48 },
            tooltip: { trigger: "axis", valueFormatter: (v) => (v === null ? "—" : percent ? `${v} %` : `${v}`) },
            xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
            yAxis: { type: "value", max: percent ? 100 : null, minInterval: 1, axisLabel: { formatter: percent ? "{value} %" : "{value}" } },
            series: [{ name: element.getAttribute("data-series"), type: "bar", data: data.values, label: { show: true, position: "top" } }],
        });
        charts.push(chart);
    }
    window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
