import '../../styles/app.css'
import { mountApp } from '../../components/mount-app.tsx'

void mountApp(document.getElementById('app')!)
