document.body.classList.add("js-enabled", "nhsuk-frontend-supported")
import { initAll } from '/static/nhsuk/nhsuk-frontend.min.js'
initAll()
