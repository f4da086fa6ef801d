#!/bin/sh
# Regenerates the welcome page's demo media (extension/public/demo/): four 960x540 JPEG pictures
# drawn from formulas (a coast at sunset, hills, a lighthouse at night, a gradient) and an 8 s
# music loop. Small on purpose (they ship in the extension): about 110 KB in all.
# The simulator's media (test/simulator/assets/make-media.sh) stay flat colours: its tests tell
# pictures apart by colour, which would make a poor first impression here.
# Needs Debian's ffmpeg. Run from anywhere: sh scripts/make-demo-media.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/extension/public/demo"
mkdir -p "$out"
q='-hide_banner -loglevel error -y'
same='-map_metadata -1 -fflags +bitexact -flags:v +bitexact'
picture() { # name, geq filter
  ffmpeg $q -f lavfi -i 'color=c=black:s=960x540:d=1' -vf "$2" -frames:v 1 -q:v 5 $same \
    "$out/$1.jpg"
}
sun='lt(hypot(X-620,Y-300),70)*lt(Y,330)'
picture coast "geq=\
r='min(255,if(lt(Y,330),255-Y*0.25,20+8*sin(X/13+Y/3))+if($sun,60,0))':\
g='min(255,if(lt(Y,330),120+Y*0.15,40+10*sin(X/11+Y/2))+if($sun,90,0))':\
b='min(255,if(lt(Y,330),90+Y*0.2,70+15*sin(X/9+Y/2)))'"
near='gt(Y,300+60*sin(X/90)+30*sin(X/37))'
far='gt(Y,230+80*sin(X/150+1)+25*sin(X/41))'
picture hills "geq=\
r='if($near,40,if($far,90,150+Y*0.15))':\
g='if($near,70,if($far,110,190+Y*0.1))':\
b='if($near,60,if($far,140,235))'"
tower='between(X,420,470)*between(Y,150,420)'
red='lt(mod(Y,60),30)'
rock='gt(Y,420+20*sin(X/40))'
beam='lt(abs((Y-160)-(X-445)*0.18),abs(X-445)*0.12)*gt(X,445)'
picture lighthouse "geq=\
r='if($tower,if($red,220,200),if($rock,25,if($beam,230,15+Y*0.06)))':\
g='if($tower,if($red,60,200),if($rock,30,if($beam,210,25+Y*0.08)))':\
b='if($tower,if($red,50,200),if($rock,40,if($beam,140,60+Y*0.12)))'"
ffmpeg $q -f lavfi \
  -i 'gradients=s=960x540:c0=0x264653:c1=0x2a9d8f:c2=0xe9c46a:c3=0xf4a261:c4=0xe76f51:n=5:seed=7:d=1' \
  -frames:v 1 -q:v 5 $same "$out/gradient.jpg"
# 8 s of plucked arpeggios (C, Am, F, G; a note every 0.5 s) over a soft low root; it loops.
note='st(0,mod(floor(t*2),16));'\
'if(lt(ld(0),4),if(eq(ld(0),1)+eq(ld(0),3),329.6,if(eq(ld(0),2),392,261.6)),'\
'if(lt(ld(0),8),if(eq(ld(0),5)+eq(ld(0),7),261.6,if(eq(ld(0),6),329.6,220)),'\
'if(lt(ld(0),12),if(eq(ld(0),9)+eq(ld(0),11),220,if(eq(ld(0),10),261.6,174.6)),'\
'if(eq(ld(0),13)+eq(ld(0),15),246.9,if(eq(ld(0),14),293.7,196)))))'
ffmpeg $q -f lavfi -i "aevalsrc='0.35*sin(2*PI*t*($note))*exp(-4*mod(t,0.5))+0.12*sin(PI*t*($note))':s=22050:d=8" \
  -af 'afade=t=in:d=0.02' -ac 1 -c:a libmp3lame -b:a 32k -map_metadata -1 -fflags +bitexact \
  "$out/music.mp3"
ls -l "$out"
