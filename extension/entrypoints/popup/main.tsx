import '../../styles/app.css'
import { mountApp } from '../../app/mount-app.tsx'

void mountApp(document.getElementById('app')!)
