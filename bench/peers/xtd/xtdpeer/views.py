from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from xtdpeer.models import Story


def hello(request):
    return HttpResponse("Hello")


def story(request, slug):
    return render(request, "story.html", {"story": get_object_or_404(Story, slug=slug)})
