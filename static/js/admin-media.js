// Media library admin: click on the picture to set its focal point (the part every crop
// keeps). The focal_x/focal_y fields stay editable by hand without JavaScript.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector(".focal-picker");
  const fx = document.getElementById("id_focal_x");
  const fy = document.getElementById("id_focal_y");
  if (!picker || !fx || !fy) return;
  const image = picker.querySelector("img");
  const mark = picker.querySelector(".focal-mark");
  const show = () => {
    mark.style.left = `${Number(fx.value) * 100}%`;
    mark.style.top = `${Number(fy.value) * 100}%`;
    mark.hidden = false;
  };
  image.addEventListener("click", (event) => {
    const box = image.getBoundingClientRect();
    const clamp = (v) => Math.min(1, Math.max(0, v)).toFixed(3);
    fx.value = clamp((event.clientX - box.left) / box.width);
    fy.value = clamp((event.clientY - box.top) / box.height);
    show();
  });
  fx.addEventListener("input", show);
  fy.addEventListener("input", show);
  show();
});
