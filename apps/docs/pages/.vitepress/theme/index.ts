import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import TrainDemo from './components/TrainDemo.vue';
import SamplingSpeedDemo from './components/SamplingSpeedDemo.vue';
import BenchResults from './components/BenchResults.vue';
import './custom.css';

const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('TrainDemo', TrainDemo);
    app.component('SamplingSpeedDemo', SamplingSpeedDemo);
    app.component('BenchResults', BenchResults);
  },
};
export default theme;
